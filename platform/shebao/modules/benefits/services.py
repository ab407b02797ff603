"""Benefit rules: which years a person has payments in, the payments of a year or month, totals.

Functions take the person explicitly and never touch ``request`` or ``session``; reads go
through the ORM session (scoped to the request's city) and always filter by the person.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Select, extract, select
from sqlalchemy.orm import selectinload

from ...core.extensions import db
from ...people.models import Person
from ...web.queries import Page, paginate
from .models import BenefitPayment

#: Half a year of monthly payments per page (each payment lists its items).
PER_PAGE = 6


def payment_years(person: Person, benefit_type: str) -> list[int]:
    """The years in which the person has payments of ``benefit_type``, newest first."""
    year = extract("year", BenefitPayment.period)
    years = db.session.scalars(
        select(year)
        .where(BenefitPayment.person_id == person.id, BenefitPayment.benefit_type == benefit_type)
        .distinct()
        .order_by(year.desc())
    )
    return [int(value) for value in years]


def period_range(year: int, month: int | None) -> tuple[date, date]:
    """First day of the chosen year (or month) and first day after it."""
    if month is None:
        return date(year, 1, 1), date(year + 1, 1, 1)
    return date(year, month, 1), date(year + (month == 12), month % 12 + 1, 1)


def _payments_in(person: Person, benefit_type: str, year: int, month: int | None) -> Select:
    start, end = period_range(year, month)
    return select(BenefitPayment).where(
        BenefitPayment.person_id == person.id,
        BenefitPayment.benefit_type == benefit_type,
        BenefitPayment.period >= start,
        BenefitPayment.period < end,
    )


def payments(
    person: Person,
    benefit_type: str,
    year: int,
    month: int | None,
    page: int,
    per_page: int = PER_PAGE,
) -> Page:
    """The payments of the year (or month), oldest first, each with its items."""
    statement = (
        _payments_in(person, benefit_type, year, month)
        .options(selectinload(BenefitPayment.items))
        .order_by(BenefitPayment.period, BenefitPayment.id)
    )
    return paginate(statement, page, per_page)


def period_total(person: Person, benefit_type: str, year: int, month: int | None) -> Decimal:
    """What was paid for the year (or month) over every page, added up as Decimal."""
    totals = db.session.scalars(
        _payments_in(person, benefit_type, year, month).with_only_columns(BenefitPayment.total)
    )
    return sum(totals, Decimal("0.00"))
