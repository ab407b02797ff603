"""The pension personal account (养老账户), derived from the person's pension contributions.

Nothing is stored: the statement is computed from the contribution records each time (at
most a few hundred rows), so it can never disagree with the contribution history. Year by
year, from the first to the last year with pension records:

- credited: the individual part of the months paid (arrears and refunds credit nothing);
- interest: the balance at the start of the year × the year's rate (``interest_rates``),
  rounded half up to the fen; contributions of the year earn interest from the next year;
- year-end balance: start balance + interest + credited.

Reads take the city explicitly and read only its rows (through the contributions services),
on top of the request's automatic city scoping.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from ...core.money import ZERO, to_fen
from ...people.insurance import InsuranceType
from ...people.models import Person
from ...tenancy.city import City
from ...tenancy.types import rule_for_year
from ...web.queries import Page, QueryError
from ..contributions import services as contributions
from ..contributions.services import YearTotals
from .options import DEFAULT_INTEREST_RATE, PensionAccountOptions

if TYPE_CHECKING:
    from ..contributions.models import Contribution


@dataclass(frozen=True)
class AccountYear:
    year: int
    months_paid: int
    average_base: Decimal
    credited: Decimal
    rate: Decimal
    interest: Decimal
    opening_balance: Decimal
    closing_balance: Decimal

    @property
    def rate_percent(self) -> Decimal:
        return (self.rate * 100).quantize(Decimal("0.01"))


def interest_rate(options: PensionAccountOptions, year: int) -> Decimal:
    rate = rule_for_year(options.interest_rates, year)
    return DEFAULT_INTEREST_RATE if rate is None else rate


def account_statement(city: City, person: Person) -> list[AccountYear]:
    """The person's pension personal account in ``city`` by year, oldest first (empty without
    records)."""
    options = city.options("pension_account")
    summary = {
        line.year: line.totals
        for line in contributions.yearly_summary(city, person, InsuranceType.PENSION)
    }
    if not summary:
        return []
    balance = ZERO
    statement = []
    for year in range(min(summary), max(summary) + 1):
        totals = summary.get(year, YearTotals())
        rate = interest_rate(options, year)
        interest = to_fen(balance * rate)
        closing = balance + interest + totals.individual
        statement.append(
            AccountYear(
                year=year,
                months_paid=totals.months_paid,
                average_base=totals.average_base,
                credited=totals.individual,
                rate=rate,
                interest=interest,
                opening_balance=balance,
                closing_balance=closing,
            )
        )
        balance = closing
    return statement


@dataclass(frozen=True)
class StatementTotals:
    months_paid: int
    credited: Decimal
    interest: Decimal
    balance: Decimal


def statement_totals(statement: list[AccountYear]) -> StatementTotals:
    return StatementTotals(
        months_paid=sum(line.months_paid for line in statement),
        credited=sum((line.credited for line in statement), ZERO),
        interest=sum((line.interest for line in statement), ZERO),
        balance=statement[-1].closing_balance if statement else ZERO,
    )


def page_of(items: list, number: int, per_page: int) -> Page:
    """Page ``number`` of ``items``; past the end raises ``QueryError`` (as ``paginate``)."""
    pages = max(1, math.ceil(len(items) / per_page))
    if number > pages:
        raise QueryError(
            _("There is no page %(n)s; the last page is %(last)s.", n=number, last=pages)
        )
    start = (number - 1) * per_page
    return Page(
        items=items[start : start + per_page], number=number, per_page=per_page, total=len(items)
    )


def page_holding(index: int, per_page: int) -> int:
    """The page number that holds item ``index`` (0-based)."""
    return index // per_page + 1


def statement_page(
    city: City, statement: list[AccountYear], year: int | None, number: int | None
) -> Page:
    """Page ``number`` of the statement, newest year first; without a number, the page that
    holds ``year``. Past the end raises ``QueryError``."""
    per_page = city.options("pension_account").page_size
    newest_first = statement[::-1]
    if number is None:
        years = [line.year for line in newest_first]
        number = page_holding(years.index(year), per_page) if year in years else 1
    return page_of(newest_first, number, per_page)


@dataclass(frozen=True)
class YearMonths:
    """One year's pension contribution months, and what they credited."""

    rows: list[Contribution]
    totals: YearTotals


def pension_months(city: City, person: Person, year: int) -> YearMonths:
    rows = contributions.contributions_in_year(city, person, InsuranceType.PENSION, year)
    return YearMonths(rows=rows, totals=contributions.totals_of(rows))
