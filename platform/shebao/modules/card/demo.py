"""Demo cards: a card for every demo person with a card number, 4–6 processing records each,
and a handful of swipes a month over the last 18 months.

Deterministic for (people, rng, month it runs in): the only randomness is ``rng``; dates are
counted back from ``today`` (default: today in Asia/Shanghai). Rows are written with batched
Core inserts in the caller's transaction, each with its ``city``.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from ...core.batch import batches, insert_returning, insert_rows
from ...core.i18n import label_text
from ...core.time import add_months, add_years, local_to_utc, local_today
from ...tenancy.city import City
from . import vocabulary
from .models import Card, CardEvent, CardSwipe

#: Card holders drawn at a time (the draws of a batch's cards come before its events).
HOLDERS_PER_BATCH = 5000
SWIPE_MONTHS = 18
BANKS = ("中国工商银行", "中国建设银行", "中国农业银行", "中国银行", "交通银行")
HOSPITALS = (
    "{city}市人民医院",
    "{city}市中医医院",
    "{city}市第二人民医院",
    "{city}市妇幼保健院",
    "{city}市中心医院",
)
CLINICS = (
    "{city}市城区社区卫生服务中心",
    "{city}市开发区社区卫生服务中心",
    "{city}市东城街道卫生院",
)
PHARMACIES = (
    "漱玉平民大药房（{city}店）",
    "老百姓大药房（{city}店）",
    "{city}市立健大药房",
    "{city}市百姓康药店",
)
#: kind, weight, amount range in yuan
SWIPES = (
    ("outpatient", 45, 15, 600),
    ("pharmacy", 45, 8, 350),
    ("health_check", 7, 100, 800),
    ("inpatient", 3, 1500, 25000),
)
SWIPES_PER_MONTH = ((0, 1, 2, 3, 4, 5), (15, 20, 25, 20, 12, 8))


def _at(day: date, rng: random.Random, first_hour: int = 8, last_hour: int = 17) -> datetime:
    """A local time of day on ``day`` (office or opening hours), as an aware UTC datetime."""
    seconds = rng.randrange(first_hour * 3600, last_hour * 3600)
    return local_to_utc(datetime.combine(day, time()) + timedelta(seconds=seconds))


def _month_starts(today: date, months: int) -> list[date]:
    """The first days of the last ``months`` months, ``today``'s the last, oldest first."""
    return [add_months(today, -back) for back in range(months - 1, -1, -1)]


def _month_end(start: date) -> date:
    return add_months(start, 1) - timedelta(days=1)


def seed_demo(
    city: City, people: list[dict], rng: random.Random, today: date | None = None
) -> None:
    """The card module's demo data for ``people`` (the person rows just seeded)."""
    from ...people.demo import DEMO_PEOPLE, demo_id_number

    today = today or local_today()
    town = label_text(city.config.name, "zh_CN").removesuffix("市")  # demo data is in Chinese
    demo_numbers = {demo_id_number(city, person) for person in DEMO_PEOPLE}
    holders = [person for person in people if person.get("card_number")]
    months = _month_starts(today, SWIPE_MONTHS)
    places = {
        "outpatient": [name.format(city=town) for name in HOSPITALS + CLINICS],
        "inpatient": [name.format(city=town) for name in HOSPITALS],
        "health_check": [name.format(city=town) for name in HOSPITALS],
        "pharmacy": [name.format(city=town) for name in PHARMACIES],
    }
    kinds = [kind for kind, *_ in SWIPES]
    weights = [weight for _, weight, *_ in SWIPES]
    ranges = {kind: (low * 100, high * 100) for kind, _, low, high in SWIPES}
    hall = f"{town}市社会保险事业中心"
    maker = f"{town}市社会保障卡制卡中心"
    for batch in batches(holders, HOLDERS_PER_BATCH):
        cards, plans = [], []
        for person in batch:
            issued = today - timedelta(days=rng.randint(90, 9 * 365))
            bank = rng.choice(BANKS)
            lost = person["id_number"] not in demo_numbers and rng.random() < 0.03
            cards.append(
                {
                    "city": city.code,
                    "person_id": person["id"],
                    "card_number": person["card_number"],
                    "bank": bank,
                    "status": vocabulary.REPORTED_LOST if lost else vocabulary.NORMAL,
                    "issued_on": issued,
                    "valid_until": add_years(issued, 10),
                    "updated_at": _at(today, rng) if lost else _at(issued, rng),
                }
            )
            plans.append((person, issued, bank, lost))
        card_ids = insert_returning(Card, cards, key="person_id")
        events, swipes = [], []
        for person, issued, bank, lost in plans:
            card_id, person_id = card_ids[person["id"]], person["id"]
            branch = f"{bank}{town}分行"
            activated = issued + timedelta(days=rng.randint(0, 20))
            steps = [
                (
                    "application",
                    issued - timedelta(days=rng.randint(20, 60)),
                    vocabulary.COUNTER,
                    hall,
                ),
                (
                    "production",
                    issued - timedelta(days=rng.randint(5, 15)),
                    vocabulary.COUNTER,
                    maker,
                ),
                ("issue", issued, vocabulary.COUNTER, branch),
                ("activation", activated, vocabulary.COUNTER, branch),
            ]
            span = max((today - activated).days - 1, 1)
            for kind in rng.sample(("information_change", "pin_reset"), rng.randint(0, 2)):
                steps.append(
                    (
                        kind,
                        activated + timedelta(days=rng.randint(1, span)),
                        vocabulary.COUNTER,
                        branch,
                    )
                )
            lost_on = None
            if lost:
                lost_on = activated + timedelta(days=rng.randint(1, span))
                steps.append((vocabulary.LOSS_REPORT, lost_on, vocabulary.ONLINE, None))
            for kind, day, channel, office in steps:
                events.append(
                    {
                        "city": city.code,
                        "card_id": card_id,
                        "person_id": person_id,
                        "kind": kind,
                        "occurred_at": _at(min(day, today), rng),
                        "channel": channel,
                        "office": office,
                    }
                )
            # Swipes up to yesterday (none later today than now), none after a loss report.
            usable_until = (
                min(today, lost_on) - timedelta(days=1) if lost_on else today - timedelta(days=1)
            )
            for month in months:
                last = min(_month_end(month), usable_until)
                first = max(month, activated)
                if first > last:
                    continue
                for _ in range(rng.choices(*SWIPES_PER_MONTH)[0]):
                    kind = rng.choices(kinds, weights)[0]
                    day = first + timedelta(days=rng.randint(0, (last - first).days))
                    swipes.append(
                        {
                            "city": city.code,
                            "person_id": person_id,
                            "swiped_at": _at(day, rng, 7, 20),
                            "place": rng.choice(places[kind]),
                            "kind": kind,
                            "amount": Decimal(rng.randint(*ranges[kind])).scaleb(-2),
                        }
                    )
        insert_rows(CardEvent, events)
        insert_rows(CardSwipe, swipes)
