"""Demo benefit payments: monthly pensions for retirees since they retired (with the yearly
adjustments), and for some employees an unemployment, maternity, work-injury or medical episode.

Only the benefit types the city shows are seeded. Deterministic for (people, rng, day it runs
on): the only randomness is ``rng``; dates are counted back from ``today`` (default: today in
Asia/Shanghai). Rows are written with batched Core inserts in the caller's transaction.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from ...core.batch import insert_returning, insert_rows
from ...core.time import add_months, local_today
from ...tenancy.city import City
from .models import BenefitItem, BenefitPayment

#: Payments collected before they are written (between two persons).
FLUSH_AT = 5000
PENSION_PAY_DAY = 5
#: The yearly pension adjustment (养老金调整) applied each January, by year.
ADJUSTMENT_RATES = {
    **{year: 0.10 for year in range(2001, 2016)},
    2016: 0.065,
    2017: 0.055,
    2018: 0.05,
    2019: 0.05,
    2020: 0.05,
    2021: 0.045,
    2022: 0.04,
    2023: 0.038,
    2024: 0.03,
}
LATER_RATE = 0.02
KEY = ("person_id", "benefit_type", "period")


def _yuan(value: float) -> Decimal:
    """Whole fen, rounded half up (the inputs are floats only while the demo draws amounts)."""
    return Decimal(round(value * 100)).scaleb(-2)


def _fen(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)).scaleb(-2)


class _Payments:
    """Collects payments with their items and writes them in batches; the new payments' ids
    come back by (person, type, period), which is unique."""

    def __init__(self, city: str):
        self.city = city
        self.rows: list[dict] = []
        self.items: list[list[tuple[str, Decimal]]] = []

    def add(
        self,
        person_id: int,
        benefit_type: str,
        period: date,
        paid_on: date,
        items: list[tuple[str, Decimal]],
    ) -> None:
        self.rows.append(
            {
                "city": self.city,
                "person_id": person_id,
                "benefit_type": benefit_type,
                "period": period,
                "paid_on": paid_on,
                "total": sum((a for _, a in items), Decimal("0.00")),
            }
        )
        self.items.append(items)

    def flush(self, at_least: int = 0) -> None:
        """Write what is collected once it holds ``at_least`` payments (call between persons)."""
        if not self.rows or len(self.rows) < at_least:
            return
        ids = insert_returning(BenefitPayment, self.rows, key=KEY)
        item_rows = [
            {
                "city": self.city,
                "payment_id": ids[tuple(row[name] for name in KEY)],
                "position": position,
                "name": name,
                "amount": amount,
            }
            for row, items in zip(self.rows, self.items, strict=True)
            for position, (name, amount) in enumerate(items, start=1)
        ]
        insert_rows(BenefitItem, item_rows)
        self.rows, self.items = [], []


def _pension(out: _Payments, person: dict, rng: random.Random, today: date) -> None:
    birth = person["birth_date"]
    age = 60 if person["sex"] == "M" else rng.choice((50, 55))
    retired = add_months(date(birth.year + age, birth.month, 1), 1)
    last = (
        today.replace(day=1)
        if today.day >= PENSION_PAY_DAY
        else add_months(today.replace(day=1), -1)
    )
    if retired > last:
        return
    progress = min(max((retired.year - 2000) / 25, 0), 1.2)
    initial = rng.randint(1500, 3500) * (0.45 + 0.55 * progress)
    basic = _yuan(initial * rng.uniform(0.75, 0.9))
    transitional = _yuan(initial) - basic
    adjustment = Decimal("0.00")
    month = retired
    while month <= last:
        if month.month == 1 and month.year > retired.year:
            rate = ADJUSTMENT_RATES.get(month.year, LATER_RATE)
            adjustment += _yuan(float(basic + transitional + adjustment) * rate)
        items = [("基本养老金", basic), ("过渡性养老金", transitional)]
        if adjustment:
            items.append(("调整金", adjustment))
        out.add(person["id"], "pension", month, month.replace(day=PENSION_PAY_DAY), items)
        month = add_months(month, 1)


def _episode_start(rng: random.Random, today: date, months_back: tuple[int, int]) -> date:
    return add_months(today.replace(day=1), -rng.randint(*months_back))


def _unemployment(out: _Payments, person: dict, rng: random.Random, today: date) -> None:
    start = _episode_start(rng, today, (14, 96))
    benefit = _yuan(1300 + 60 * (start.year - 2015) + rng.randint(-50, 50))
    subsidy = _fen(rng, 80, 150)
    for offset in range(rng.randint(3, 12)):
        month = add_months(start, offset)
        out.add(
            person["id"],
            "unemployment",
            month,
            month.replace(day=15),
            [("失业保险金", benefit), ("医疗补助金", subsidy)],
        )


def _maternity(out: _Payments, person: dict, rng: random.Random, today: date) -> None:
    month = _episode_start(rng, today, (2, 96))
    age = month.year - person["birth_date"].year
    if not 22 <= age <= 42:
        return
    out.add(
        person["id"],
        "maternity",
        month,
        month.replace(day=rng.randint(10, 28)),
        [("生育津贴", _fen(rng, 12000, 35000)), ("生育医疗费", _fen(rng, 2000, 5000))],
    )


def _work_injury(out: _Payments, person: dict, rng: random.Random, today: date) -> None:
    start = _episode_start(rng, today, (8, 96))
    out.add(
        person["id"],
        "work_injury",
        start,
        start.replace(day=rng.randint(10, 28)),
        [("工伤医疗费", _fen(rng, 2000, 30000)), ("一次性伤残补助金", _fen(rng, 20000, 90000))],
    )
    allowance = _fen(rng, 2500, 4000)
    for offset in range(1, rng.randint(1, 6)):
        month = add_months(start, offset)
        out.add(
            person["id"], "work_injury", month, month.replace(day=15), [("伤残津贴", allowance)]
        )


def _medical(out: _Payments, person: dict, rng: random.Random, today: date) -> None:
    last = add_months(today.replace(day=1), -1)
    for offset in sorted(rng.sample(range(36), rng.randint(1, 4))):
        month = add_months(last, -offset)
        pooled = _fen(rng, 300, 30000)
        items = [("统筹支付", pooled)]
        if pooled > 15000:
            items.append(("大病保险支付", _yuan(float(pooled) * rng.uniform(0.2, 0.5))))
        out.add(person["id"], "medical", month, month.replace(day=rng.randint(5, 28)), items)


def seed_demo(
    city: City, people: list[dict], rng: random.Random, today: date | None = None
) -> None:
    """The benefits module's demo payments for ``people`` (the person rows just seeded)."""
    from ...people.demo import DEMO_PEOPLE, demo_id_number

    today = today or local_today()
    types = set(city.options("benefits").types)
    demo_numbers = {demo_id_number(city, person) for person in DEMO_PEOPLE}
    out = _Payments(city.code)
    for person in people:
        demo = person["id_number"] in demo_numbers
        category = person["category"]
        if category == "retiree" and "pension" in types:
            _pension(out, person, rng, today)
        if category == "employee":
            if "unemployment" in types and (demo or rng.random() < 0.05):
                _unemployment(out, person, rng, today)
            if "maternity" in types and person["sex"] == "F" and (demo or rng.random() < 0.08):
                _maternity(out, person, rng, today)
            if "work_injury" in types and (demo or rng.random() < 0.03):
                _work_injury(out, person, rng, today)
        if (
            category in ("employee", "retiree")
            and "medical" in types
            and (demo or rng.random() < 0.15)
        ):
            _medical(out, person, rng, today)
        out.flush(at_least=FLUSH_AT)
    out.flush()
