"""Posting paid contributions: a payment made through the portal becomes contribution records.

Called by the payments module in the same unit of work as the order's move to paid, so the
records and the order's state never disagree (nothing here commits). A month already in the
records (for example in arrears) is updated to paid; a missing one is added.

A line is recorded as paid: the whole amount a person paid is the individual part (a
flexible-employment month of 20 % of the base records 20 %). What such a month credits to
the pension personal account (8 % of the base) is not stored: the pension account computes
it from the city's ``account_credit`` rule, for posted, seeded and imported months alike.
The employer column of a resident insurance year holds the government subsidy, from the
city's ``resident_pension`` / ``resident_medical`` rules, as the demo seeder records it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from ...core.extensions import db
from ...core.money import ZERO
from ...tenancy.city import City
from .models import SELF_PAYER, Contribution, ContributionStatus
from .options import ContributionsOptions
from .services import RESIDENT_TYPES, resident_subsidy

log = logging.getLogger("shebao.contributions")


@dataclass(frozen=True)
class PaidLine:
    insurance_type: str
    period: date
    base: Decimal
    #: What the person paid for this month (or year).
    individual: Decimal
    #: The employer's part; None: the city's rules decide (a resident insurance's subsidy,
    #: else nothing).
    employer: Decimal | None = None


def _options(city: City | str) -> ContributionsOptions:
    if isinstance(city, str):
        city = current_app.extensions["shebao.cities"].get(city)
    return city.options("contributions")


def employer_part(options: ContributionsOptions, city_code: str, line: PaidLine) -> Decimal:
    """The employer column of a posted line: as given, or the resident subsidy of the rules.

    A resident year without a subsidy rule is recorded without one and logged (the money is
    received; the YAML needs a ``resident_pension`` / ``resident_medical`` rule for that year).
    """
    if line.employer is not None:
        return line.employer
    kind = str(line.insurance_type)
    subsidy = resident_subsidy(options, kind, line.period.year, line.base)
    if subsidy is None and kind in RESIDENT_TYPES:
        log.warning(
            "%s: no %s subsidy rule in modules.contributions for %s; recorded without one",
            city_code,
            kind,
            line.period.year,
        )
    return ZERO if subsidy is None else subsidy


def post_paid_contributions(
    city: City | str, person_id: int, lines: Iterable[PaidLine], payer: str = SELF_PAYER
) -> int:
    """Write each line as a paid contribution of ``person_id`` in ``city`` (a loaded city or
    its code); returns the count."""
    options = _options(city)
    city_code = city if isinstance(city, str) else city.code
    lines = list(lines)
    existing = _rows_of(city_code, person_id, lines)
    count = 0
    for line in lines:
        key = (str(line.insurance_type), line.period)
        row = existing.get(key)
        if row is None:
            row = existing[key] = Contribution(
                city=city_code, person_id=person_id, insurance_type=key[0], period=line.period
            )
            db.session.add(row)
        row.base = line.base
        row.individual = line.individual
        row.employer = employer_part(options, city_code, line)
        row.status = ContributionStatus.PAID.value
        row.payer = payer
        count += 1
    db.session.flush()
    return count


def _rows_of(
    city_code: str, person_id: int, lines: list[PaidLine]
) -> dict[tuple[str, date], Contribution]:
    """The person's rows already recorded for the lines' types and months, by (type, month),
    in one query (not one per month)."""
    if not lines:
        return {}
    wanted = {(str(line.insurance_type), line.period) for line in lines}
    rows = db.session.scalars(
        select(Contribution).where(
            Contribution.city == city_code,
            Contribution.person_id == person_id,
            Contribution.insurance_type.in_(sorted({kind for kind, _period in wanted})),
            Contribution.period >= min(period for _kind, period in wanted),
            Contribution.period <= max(period for _kind, period in wanted),
        )
    )
    return {(row.insurance_type, row.period): row for row in rows}


def paid_periods(city: str, person_id: int, insurance_type: str, periods: list[date]) -> set[date]:
    """Which of ``periods`` are already paid in the records."""
    if not periods:
        return set()
    return set(
        db.session.scalars(
            select(Contribution.period).where(
                Contribution.city == city,
                Contribution.person_id == person_id,
                Contribution.insurance_type == str(insurance_type),
                Contribution.period >= min(periods),
                Contribution.period <= max(periods),
                Contribution.status == ContributionStatus.PAID.value,
            )
        )
    )


def paid_in_year(city: str, person_id: int, insurance_type: str, year: int) -> bool:
    """Whether a yearly (resident) contribution of ``year`` is already paid."""
    return (
        db.session.scalar(
            select(Contribution.id)
            .where(
                Contribution.city == city,
                Contribution.person_id == person_id,
                Contribution.insurance_type == str(insurance_type),
                Contribution.period >= date(year, 1, 1),
                Contribution.period < date(year + 1, 1, 1),
                Contribution.status == ContributionStatus.PAID.value,
            )
            .limit(1)
        )
        is not None
    )
