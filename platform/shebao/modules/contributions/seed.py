"""Demo contribution records: month by month, deterministic, fast enough for 10,000 people.

Who gets what (only types the city's records need: its ``contributions.types``, plus
employee pension when the city has the pension personal account, which is built from it):

- employees: every employee type, monthly, from the January they turned 20 (not before the
  city's first rule year) to ``DEMO_THROUGH``; the employer pays;
- retirees: the same up to the month before retirement (60 for men, 55 for women);
- flexible employment: pension and medical, monthly, for the last 3–15 years, self-paid at
  the year's ``flexible`` rates, the whole amount as the individual part and no employer part,
  exactly as a payment made online is posted (years without a flexible rate are left out);
- residents: resident pension once a year at a grade they chose, resident medical once a
  year at that year's amount, each with the government subsidy of the city's
  ``resident_pension`` / ``resident_medical`` rules in the employer column (years without a
  rule are left out);
- some people owe the last few months (arrears), some had one month refunded.

Bases follow a notional average wage derived from the city's bounds (base_min is 60 % of
the average wage), times a personal factor, clamped into the year's [base_min, base_max];
amounts use the city's rates, rounded half up to the fen, exactly as ``contribution_amounts``
and ``flexible_amounts`` compute them. What a month credits to the pension personal account
is not stored: the account computes it from the city's credit rule, for seeded and paid
months alike. Rows are tuples written in batches (``core.batch.TupleInserter``); nothing
depends on the clock, so the same seed gives the same rows.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from ...core.batch import TupleInserter
from ...core.money import ZERO, to_fen
from ...core.time import add_months, months_between
from ...people.insurance import EMPLOYEE_TYPES, InsuranceType
from ...tenancy.types import rule_for_year
from .models import SELF_PAYER, Contribution, ContributionStatus

#: The last month of demo records (fixed, so that a seed gives the same data on any day).
DEMO_THROUGH = date(2026, 10, 1)
#: Rows collected before they are written (between two persons).
BATCH = 5000
#: Resident pension grades (yuan a year) demo residents choose, and how often (the amounts
#: and subsidies of each year are the city's rules).
RESIDENT_PENSION_GRADES = (100, 200, 300, 500, 800, 1000, 1500, 2000)
RESIDENT_PENSION_WEIGHTS = (10, 20, 30, 20, 8, 6, 4, 2)
PAID, ARREARS, REFUNDED = (s.value for s in ContributionStatus)


def seeded_types(city) -> list[InsuranceType]:
    """The insurance types whose records the demo fills for this city."""
    options = city.options("contributions")
    types = list(options.types)
    if city.module_enabled("pension_account") and InsuranceType.PENSION not in types:
        types.append(InsuranceType.PENSION)
    return types


class _Rules:
    """The city's rules per year, looked up once (the seeder asks millions of times)."""

    def __init__(self, options, last_year: int):
        self.first_year = min(options.years)
        self.years = range(self.first_year, last_year + 1)
        self.rule = {year: rule_for_year(options.years, year) for year in self.years}
        self.wage = self._average_wages(options.years, last_year)

    def _average_wages(self, table: dict, last_year: int) -> dict[int, float]:
        """A notional average monthly wage per year: base_min is 60 % of it in each rule
        year, growing evenly in between and by 5 % a year after the last rule."""
        keys = sorted(table)
        anchors = {year: float(table[year].base_min) / 0.6 for year in keys}
        wages = {}
        for year in self.years:
            before = max(key for key in keys if key <= year)
            after = [key for key in keys if key > year]
            if after:
                step = (anchors[after[0]] / anchors[before]) ** (1 / (after[0] - before))
            else:
                step = 1.05
            wages[year] = anchors[before] * step ** (year - before)
        return wages

    def base(self, year: int, factor: float) -> Decimal:
        rule = self.rule[year]
        wanted = Decimal(int(self.wage[year] * factor))
        return to_fen(min(max(wanted, rule.base_min), rule.base_max))

    def amounts(self, year: int, kind: InsuranceType, base: Decimal, flexible: bool = False):
        """(individual, employer) of a month, or None when the year has no such rate."""
        if flexible:
            rate = self.rule[year].flexible.get(kind.value)
            return None if rate is None else (to_fen(base * rate), ZERO)
        rates = self.rule[year].rates.get(kind)
        if rates is None:
            return None
        return to_fen(base * rates.individual), to_fen(base * rates.employer)


def _months_by_year(first_year: int, last: date) -> dict[int, list[date]]:
    return {
        year: [date(year, month, 1) for month in range(1, 13) if date(year, month, 1) <= last]
        for year in range(first_year, last.year + 1)
    }


#: The columns of the rows the seeder builds, in order.
COLUMNS = (
    "person_id",
    "insurance_type",
    "period",
    "base",
    "individual",
    "employer",
    "status",
    "payer",
    "city",
)


class _Writer(TupleInserter):
    """Contribution rows as tuples in ``COLUMNS`` order; periods and amounts are converted
    as the driver takes them while rows are built (a period once per month)."""

    def __init__(self):
        super().__init__(Contribution, COLUMNS)
        self.period = self.cached("period")
        self.money = self.converter("base")


def seed_contributions(city, people: list[dict], rng: random.Random) -> int:
    """Write the demo records of ``people`` (the persons just seeded); return how many."""
    options = city.options("contributions")
    if not options.years:
        return 0
    rules = _Rules(options, DEMO_THROUGH.year)
    types = seeded_types(city)
    employee_types = [kind for kind in types if kind in EMPLOYEE_TYPES]
    flexible_types = [
        kind for kind in types if kind in (InsuranceType.PENSION, InsuranceType.MEDICAL)
    ]
    periods = _months_by_year(rules.first_year, DEMO_THROUGH)
    writer = _Writer()
    for person in people:
        category = person["category"]
        if category in ("employee", "retiree"):
            _monthly(writer, city.code, person, rng, rules, periods, employee_types)
        elif category == "flexible":
            _monthly(writer, city.code, person, rng, rules, periods, flexible_types)
        elif category == "resident":
            _resident(writer, city.code, person, rng, options, types)
        if len(writer.rows) >= BATCH:
            writer.flush()
    writer.flush()
    return writer.written


def _monthly(writer, city: str, person: dict, rng, rules: _Rules, periods: dict, types) -> None:
    if not types:
        return
    birth: date = person["birth_date"]
    category = person["category"]
    first = date(max(birth.year + 20, rules.first_year), 1, 1)
    last = DEMO_THROUGH
    if category == "retiree":
        retirement = date(birth.year + (60 if person["sex"] == "M" else 55), birth.month, 1)
        last = min(last, add_months(retirement, -1))
    payer = person.get("employer") or SELF_PAYER
    if category == "flexible":
        payer = SELF_PAYER
        first = max(first, date(DEMO_THROUGH.year - rng.randint(3, 15), rng.randint(1, 12), 1))
        factor = 0.6 if rng.random() < 0.7 else rng.uniform(0.6, 1.2)
    else:
        factor = 0.6 if rng.random() < 0.3 else rng.uniform(0.7, 2.6)
    if first > last:
        return
    owing = rng.random() < (0.2 if category == "flexible" else 0.05) and last == DEMO_THROUGH
    arrears_from = add_months(last, -rng.randint(0, 3)) if owing else None
    months = months_between(first, last) + 1
    refunded = add_months(last, -rng.randrange(months)) if rng.random() < 0.05 else None
    rows = writer.rows
    money = writer.money
    person_id = person["id"]
    years = []
    for year in range(first.year, last.year + 1):
        base = rules.base(year, factor * rng.uniform(0.97, 1.03))
        in_year = [
            (period, writer.period(period)) for period in periods[year] if first <= period <= last
        ]
        statuses = [
            ARREARS
            if arrears_from is not None and period >= arrears_from
            else REFUNDED
            if period == refunded
            else PAID
            for period, _ in in_year
        ]
        years.append((year, base, in_year, statuses))
    # Type by type, month after month: every index then grows by appending (fastest).
    flexible = category == "flexible"
    for kind in types:
        kind_value = kind.value
        for year, base, in_year, statuses in years:
            amounts = rules.amounts(year, kind, base, flexible)
            if amounts is None:
                continue
            values = (money(base), money(amounts[0]), money(amounts[1]))
            for (_, stored), status in zip(in_year, statuses, strict=True):
                rows.append((person_id, kind_value, stored, *values, status, payer, city))


def _resident(writer, city: str, person: dict, rng, options, types) -> None:
    """A resident's yearly rows: only years the city's resident rules cover."""
    birth: date = person["birth_date"]
    rows = writer.rows
    money = writer.money
    if InsuranceType.RESIDENT_PENSION in types and options.resident_pension:
        chosen = Decimal(rng.choices(RESIDENT_PENSION_GRADES, RESIDENT_PENSION_WEIGHTS)[0])
        grade = money(chosen)
        month = rng.randint(3, 9)
        first = max(birth.year + 18, min(options.resident_pension))
        for year in range(first, DEMO_THROUGH.year + 1):
            subsidy = rule_for_year(options.resident_pension, year).subsidy(chosen)
            rows.append(
                (
                    person["id"],
                    InsuranceType.RESIDENT_PENSION.value,
                    writer.period(date(year, month, 1)),
                    grade,
                    grade,
                    money(subsidy if subsidy is not None else ZERO),
                    PAID,
                    SELF_PAYER,
                    city,
                )
            )
    if InsuranceType.RESIDENT_MEDICAL in types and options.resident_medical:
        first = max(birth.year, min(options.resident_medical))
        for year in range(first, DEMO_THROUGH.year + 1):
            rule = rule_for_year(options.resident_medical, year)
            rows.append(
                (
                    person["id"],
                    InsuranceType.RESIDENT_MEDICAL.value,
                    writer.period(date(year, 1, 1)),
                    money(rule.amount),
                    money(rule.amount),
                    money(rule.subsidy),
                    PAID,
                    SELF_PAYER,
                    city,
                )
            )
