"""The pension personal account (养老账户), derived from the person's pension contributions.

Nothing is stored: the statement is computed from the contribution records each time (at
most a few hundred rows), so it can never disagree with the contribution history. Year by
year, from the first to the last year with pension records:

- credited: for each month paid (arrears and refunds credit nothing), its base × the credit
  rate of its year and category (``account_credit`` in the city's YAML: employee for a month
  an employer paid, flexible for one the person paid), rounded half up to the fen. What was
  paid is another figure: a flexible-employment payer pays 20 % of the base, of which 8 % is
  credited (国发〔2005〕38号), the rest goes to the pooled fund;
- interest: the balance at the start of the year × the year's rate (``interest_rates``),
  rounded half up to the fen; contributions of the year earn interest from the next year;
- year-end balance: start balance + interest + credited.

``credited_amount`` is the one rule: the statement page, the certificates (which freeze its
figures for the verify page) and the months of a year all use it, looking the year's rule up
once per year. A paid month in a year the YAML has no credit rule for raises ``NoCreditRule``
(a sentence for the resident; the operator is told by the log), never a wrong figure.

Reads take the city explicitly and read only its rows (through the contributions services),
on top of the request's automatic city scoping.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import date
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
from .options import DEFAULT_INTEREST_RATE, AccountCredit, PensionAccountOptions

if TYPE_CHECKING:
    from ..contributions.models import Contribution

log = logging.getLogger("shebao.pension_account")


class NoCreditRule(LookupError):
    """The city's ``account_credit`` has no rule in force in a year with paid months."""

    def __init__(self, year: int):
        super().__init__(f"modules.pension_account.account_credit has no rule in force in {year}")
        self.year = year

    @property
    def message(self) -> str:
        return _(
            "Your pension personal account cannot be shown: the rules of this city do not say "
            "how much of the contribution base is credited to the account in %(year)s. Please "
            "contact the social insurance office.",
            year=self.year,
        )


def credit_rule(options: PensionAccountOptions, year: int) -> AccountCredit:
    rule = rule_for_year(options.account_credit, year)
    if rule is None:
        raise NoCreditRule(year)
    return rule


def credited_amount(rule: AccountCredit, base: Decimal, self_paid: bool) -> Decimal:
    """What one paid month of ``base`` credits to the account under its year's ``rule``, to
    the fen."""
    return to_fen(base * (rule.flexible if self_paid else rule.employee))


def _credited(city: City, options: PensionAccountOptions, year: int, rows) -> list[Decimal]:
    """What each of ``year``'s rows (period, status, base, payer) credits: nothing unless
    paid. The year's rule is looked up once, and only when a month of it is paid."""
    if not any(contributions.is_paid(row) for row in rows):
        return [ZERO] * len(rows)
    try:
        rule = credit_rule(options, year)
    except NoCreditRule as missing:
        log.error("%s: %s", city.source or city.code, missing)
        raise
    return [
        credited_amount(rule, row.base, contributions.self_paid(row))
        if contributions.is_paid(row)
        else ZERO
        for row in rows
    ]


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
    records). Raises ``NoCreditRule`` for paid months in a year without a credit rule."""
    options = city.options("pension_account")
    by_year = contributions.contribution_rows(city, person, InsuranceType.PENSION)
    if not by_year:
        return []
    balance = ZERO
    statement = []
    for year in range(min(by_year), max(by_year) + 1):
        rows = by_year.get(year, [])
        totals = contributions.totals_of(rows)
        credited = sum(_credited(city, options, year, rows), ZERO)
        rate = interest_rate(options, year)
        interest = to_fen(balance * rate)
        closing = balance + interest + credited
        statement.append(
            AccountYear(
                year=year,
                months_paid=totals.months_paid,
                average_base=totals.average_base,
                credited=credited,
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
class AccountMonth:
    """One month of the year's list: what was paid (the individual part) and what it credited."""

    period: date
    base: Decimal
    individual: Decimal
    credited: Decimal
    status_label: str


@dataclass(frozen=True)
class YearMonths:
    """One year's pension contribution months, and what they credited."""

    rows: list[Contribution]
    totals: YearTotals
    months: list[AccountMonth]
    credited: Decimal


def pension_months(city: City, person: Person, year: int) -> YearMonths:
    rows = contributions.contributions_in_year(city, person, InsuranceType.PENSION, year)
    credits = _credited(city, city.options("pension_account"), year, rows)
    months = [
        AccountMonth(row.period, row.base, row.individual, credit, row.status_label)
        for row, credit in zip(rows, credits, strict=True)
    ]
    return YearMonths(
        rows=rows,
        totals=contributions.totals_of(rows),
        months=months,
        credited=sum(credits, ZERO),
    )
