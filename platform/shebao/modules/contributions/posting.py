"""Posting paid contributions: a payment made through the portal becomes contribution records.

Called by the payments module in the same unit of work as the order's move to paid, so the
records and the order's state never disagree (nothing here commits). A month already in the
records (for example in arrears) is updated to paid; a missing one is added.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from ...core.extensions import db
from ...core.money import ZERO
from .models import SELF_PAYER, Contribution, ContributionStatus


@dataclass(frozen=True)
class PaidLine:
    insurance_type: str
    period: date
    base: Decimal
    individual: Decimal
    employer: Decimal = ZERO


def post_paid_contributions(
    city: str, person_id: int, lines: Iterable[PaidLine], payer: str = SELF_PAYER
) -> int:
    """Write each line as a paid contribution of ``person_id`` in ``city``; returns the count."""
    count = 0
    for line in lines:
        row = db.session.scalar(
            select(Contribution).where(
                Contribution.city == city,
                Contribution.person_id == person_id,
                Contribution.insurance_type == str(line.insurance_type),
                Contribution.period == line.period,
            )
        )
        if row is None:
            row = Contribution(
                city=city,
                person_id=person_id,
                insurance_type=str(line.insurance_type),
                period=line.period,
            )
            db.session.add(row)
        row.base = line.base
        row.individual = line.individual
        row.employer = line.employer
        row.status = ContributionStatus.PAID.value
        row.payer = payer
        count += 1
    db.session.flush()
    return count


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
