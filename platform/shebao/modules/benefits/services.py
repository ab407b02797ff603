"""Benefit rules: which years a person has payments in, the payments of a year or month, totals.

Functions take the city and the person explicitly and never touch ``request`` or ``session``;
every read filters by both, on top of the request's automatic city scoping (the safety net),
so they answer the same in a request and outside one.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Select, extract, select
from sqlalchemy.orm import selectinload

from ...core.extensions import db
from ...core.money import ZERO
from ...people.models import Person
from ...tenancy.city import City
from ...web.queries import Page, paginate
from .models import BenefitItem, BenefitPayment

#: Half a year of monthly payments per page (each payment lists its items).
PER_PAGE = 6


def _of(city: City, person: Person, benefit_type: str) -> tuple:
    """The WHERE clause of one person's payments of one benefit in ``city``."""
    return (
        BenefitPayment.city == city.code,
        BenefitPayment.person_id == person.id,
        BenefitPayment.benefit_type == benefit_type,
    )


def payment_years(city: City, person: Person, benefit_type: str) -> list[int]:
    """The years in which the person has payments of ``benefit_type``, newest first."""
    year = extract("year", BenefitPayment.period)
    years = db.session.scalars(
        select(year).where(*_of(city, person, benefit_type)).distinct().order_by(year.desc())
    )
    return [int(value) for value in years]


def period_range(year: int, month: int | None) -> tuple[date, date]:
    """First day of the chosen year (or month) and first day after it."""
    if month is None:
        return date(year, 1, 1), date(year + 1, 1, 1)
    return date(year, month, 1), date(year + (month == 12), month % 12 + 1, 1)


def _payments_in(
    city: City, person: Person, benefit_type: str, year: int, month: int | None
) -> Select:
    start, end = period_range(year, month)
    return select(BenefitPayment).where(
        *_of(city, person, benefit_type),
        BenefitPayment.period >= start,
        BenefitPayment.period < end,
    )


def payments(
    city: City,
    person: Person,
    benefit_type: str,
    year: int,
    month: int | None,
    page: int,
    per_page: int = PER_PAGE,
) -> Page:
    """The payments of the year (or month), oldest first, each with its items. A page past
    the end raises ``QueryError``."""
    statement = (
        _payments_in(city, person, benefit_type, year, month)
        .options(selectinload(BenefitPayment.items.and_(BenefitItem.city == city.code)))
        .order_by(BenefitPayment.period, BenefitPayment.id)
    )
    return paginate(statement, page, per_page)


def period_total(
    city: City, person: Person, benefit_type: str, year: int, month: int | None
) -> Decimal:
    """What was paid for the year (or month) over every page, added up as Decimal."""
    totals = db.session.scalars(
        _payments_in(city, person, benefit_type, year, month).with_only_columns(
            BenefitPayment.total
        )
    )
    return sum(totals, ZERO)
