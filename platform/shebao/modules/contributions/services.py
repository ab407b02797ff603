"""The rules of contribution history: amounts from the city's rates, a person's years, a year's
page of months with its totals, and the yearly summary behind the pension chart and the
pension personal account.

Every read takes the city explicitly and filters by it and by the person, on top of the
request's automatic city scoping (the safety net), so no query returns another person's or
another city's rows, in a request or outside one (commands, jobs).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Integer, bindparam, case, cast, extract, func, select

from ...core.extensions import db
from ...core.money import ZERO, to_fen
from ...people.insurance import InsuranceType
from ...people.models import Person
from ...tenancy.city import City
from ...tenancy.types import rule_for_year
from ...web.queries import Page, check_page
from .models import SELF_PAYER, Contribution, ContributionStatus
from .options import ContributionsOptions, ContributionYear

#: Resident insurances are paid once a year at a chosen grade or a fixed amount; they have no
#: monthly base and no employer: the "employer" column holds the government subsidy.
RESIDENT_TYPES = frozenset({InsuranceType.RESIDENT_PENSION, InsuranceType.RESIDENT_MEDICAL})


class NoRateForYear(LookupError):
    """The city's YAML has no rule in force for that year, or no rate for that type."""


@dataclass(frozen=True)
class Amounts:
    base: Decimal
    individual: Decimal
    employer: Decimal


def contribution_amounts(
    options: ContributionsOptions, insurance_type: str, year: int, base: Decimal
) -> Amounts:
    """A month's amounts for ``base`` in ``year``: the base clamped into the year's bounds,
    then individual = base × individual rate and employer = base × employer rate, each
    rounded half up to the fen."""
    rule = rule_for_year(options.years, year)
    if rule is None:
        raise NoRateForYear(f"no contribution rule in force in {year}")
    rates = rule.rates.get(InsuranceType(insurance_type))
    if rates is None:
        raise NoRateForYear(f"no {insurance_type} rate in force in {year}")
    clamped = _clamped(rule, base)
    return Amounts(
        base=clamped,
        individual=to_fen(clamped * rates.individual),
        employer=to_fen(clamped * rates.employer),
    )


def flexible_amounts(
    options: ContributionsOptions, insurance_type: str, year: int, base: Decimal
) -> Amounts:
    """A flexible-employment month as recorded: the base clamped into the year's bounds, the
    whole amount (base × the year's ``flexible`` rate, half up to the fen) as the individual
    part, nothing from an employer; the same shape a payment made online is posted in."""
    rule = rule_for_year(options.years, year)
    rate = rule.flexible.get(str(insurance_type)) if rule is not None else None
    if rate is None:
        raise NoRateForYear(f"no flexible-employment {insurance_type} rate in force in {year}")
    clamped = _clamped(rule, base)
    return Amounts(base=clamped, individual=to_fen(clamped * rate), employer=ZERO)


def _clamped(rule: ContributionYear, base: Decimal) -> Decimal:
    """``base`` clamped into the year's bounds, half up to the fen."""
    return to_fen(min(max(Decimal(base), rule.base_min), rule.base_max))


def resident_subsidy(
    options: ContributionsOptions, insurance_type: str, year: int, amount: Decimal
) -> Decimal | None:
    """The government subsidy of a resident insurance year paid at ``amount`` (the grade for
    resident pension), from the city's ``resident_pension`` / ``resident_medical`` rules; None
    when no rule is in force that year (or the type is not a resident insurance)."""
    if insurance_type == InsuranceType.RESIDENT_PENSION:
        rule = rule_for_year(options.resident_pension, year)
        return rule.subsidy(Decimal(amount)) if rule is not None else None
    if insurance_type == InsuranceType.RESIDENT_MEDICAL:
        rule = rule_for_year(options.resident_medical, year)
        return rule.subsidy if rule is not None else None
    return None


def is_paid(row) -> bool:
    """Whether a row (anything with a status) is a month paid, not owed or refunded."""
    return row.status == ContributionStatus.PAID


def self_paid(row) -> bool:
    """Whether the person paid this month themself (flexible employment, residents) rather
    than an employer: the records name the payer 个人缴费 (``SELF_PAYER``)."""
    return row.payer == SELF_PAYER


def _of(city: City, person: Person, insurance_type: str):
    """The WHERE clause of one person's rows of one type in ``city``."""
    return (
        Contribution.city == city.code,
        Contribution.person_id == person.id,
        Contribution.insurance_type == str(insurance_type),
    )


def _year_range(year: int):
    return Contribution.period >= date(year, 1, 1), Contribution.period < date(year + 1, 1, 1)


def _year_of_period():
    return cast(extract("year", Contribution.period), Integer)


def insured_years(city: City, person: Person, insurance_type: str) -> list[int]:
    """The years in which the person has records of this type, oldest first."""
    found = db.session.scalars(
        select(_year_of_period()).where(*_of(city, person, insurance_type)).distinct()
    )
    return sorted(int(value) for value in found)


def insured_years_by_type(city: City, person: Person) -> dict[InsuranceType, list[int]]:
    """Every insurance type the person has records of, with its years (oldest first), in the
    order of ``InsuranceType``; one query."""
    found = db.session.execute(
        select(Contribution.insurance_type, _year_of_period())
        .where(Contribution.city == city.code, Contribution.person_id == person.id)
        .distinct()
    )
    years: dict[str, set[int]] = {}
    for insurance_type, year in found:
        years.setdefault(insurance_type, set()).add(int(year))
    return {kind: sorted(years[kind.value]) for kind in InsuranceType if kind.value in years}


@dataclass(frozen=True)
class YearTotals:
    """A year's totals: months paid and what was paid, and months still owed."""

    months_paid: int = 0
    individual: Decimal = ZERO
    employer: Decimal = ZERO
    base_sum: Decimal = ZERO
    months_in_arrears: int = 0
    arrears_individual: Decimal = ZERO
    arrears_employer: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.individual + self.employer

    @property
    def average_base(self) -> Decimal:
        """Average monthly base over the months paid, half up to the fen."""
        return to_fen(self.base_sum / self.months_paid) if self.months_paid else ZERO


def totals_of(rows: Iterable) -> YearTotals:
    """Totals of contribution rows (anything with status, base, individual, employer)."""
    paid = owed = 0
    individual = employer = base = owed_individual = owed_employer = ZERO
    for row in rows:
        if row.status == ContributionStatus.PAID:
            paid += 1
            individual += row.individual
            employer += row.employer
            base += row.base
        elif row.status == ContributionStatus.ARREARS:
            owed += 1
            owed_individual += row.individual
            owed_employer += row.employer
    return YearTotals(
        months_paid=paid,
        individual=individual,
        employer=employer,
        base_sum=base,
        months_in_arrears=owed,
        arrears_individual=owed_individual,
        arrears_employer=owed_employer,
    )


def contributions_in_year(
    city: City, person: Person, insurance_type: str, year: int
) -> list[Contribution]:
    """All of the person's rows of this type in ``year``, by month (at most twelve)."""
    return list(
        db.session.scalars(
            select(Contribution)
            .where(*_of(city, person, insurance_type), *_year_range(year))
            .order_by(Contribution.period)
        )
    )


def rows_by_type(city: City, person: Person, year: int) -> dict[str, list[Contribution]]:
    """The person's rows of ``year`` by insurance type, each type's by month: one query for
    every type (what a certificate of the year is made of)."""
    found = db.session.scalars(
        select(Contribution)
        .where(
            Contribution.city == city.code,
            Contribution.person_id == person.id,
            *_year_range(year),
        )
        .order_by(Contribution.insurance_type, Contribution.period)
    )
    by_type: dict[str, list[Contribution]] = {}
    for row in found:
        by_type.setdefault(row.insurance_type, []).append(row)
    return by_type


@dataclass(frozen=True)
class Span:
    """A person's records of one insurance type over every year: the first and last month on
    record and the months paid."""

    first: date
    last: date
    months_paid: int


def spans_by_type(city: City, person: Person) -> dict[str, Span]:
    """Every insurance type the person has records of, with its ``Span``; one grouped query."""
    paid = func.sum(case((Contribution.status == ContributionStatus.PAID.value, 1), else_=0))
    found = db.session.execute(
        select(
            Contribution.insurance_type,
            func.min(Contribution.period),
            func.max(Contribution.period),
            paid,
        )
        .where(Contribution.city == city.code, Contribution.person_id == person.id)
        .group_by(Contribution.insurance_type)
    )
    return {kind: Span(first, last, int(months)) for kind, first, last, months in found}


@dataclass(frozen=True)
class History:
    """One page of a year's months, and the whole year's totals."""

    year: int
    page: Page
    totals: YearTotals


@dataclass(frozen=True)
class YearSummary:
    year: int
    totals: YearTotals
    #: Rows on record that year, whatever their status (what the history pages are paged by).
    records: int = 0


def _fen_sum(column, status: ContributionStatus):
    """The sum in fen (an integer, so exact on every database) of ``column`` over the rows
    with ``status``."""
    in_fen = cast(func.round(column * 100), Integer)
    return func.sum(case((Contribution.status == status.value, in_fen), else_=0))


def _count(status: ContributionStatus):
    return func.sum(case((Contribution.status == status.value, 1), else_=0))


def _yuan(fen) -> Decimal:
    """Fen (an integer sum) as yuan with two places, exactly: ``12345`` → ``123.45``."""
    return Decimal(int(fen or 0)).scaleb(-2)


def _yearly_summary_statement():
    """The statement of ``yearly_summary``, built once: the page asks it on every request, and
    building its expression tree again each time cost more than the database's answer."""
    paid, arrears = ContributionStatus.PAID, ContributionStatus.ARREARS
    year = _year_of_period()
    return (
        select(
            year,
            func.count(),
            _count(paid),
            _fen_sum(Contribution.individual, paid),
            _fen_sum(Contribution.employer, paid),
            _fen_sum(Contribution.base, paid),
            _count(arrears),
            _fen_sum(Contribution.individual, arrears),
            _fen_sum(Contribution.employer, arrears),
        )
        .where(*_OF_BOUND)
        .group_by(year)
        .order_by(year)
    )


#: ``_of`` with bound parameters (city, person, insurance_type), for statements built once.
_OF_BOUND = (
    Contribution.city == bindparam("city"),
    Contribution.person_id == bindparam("person"),
    Contribution.insurance_type == bindparam("insurance_type"),
)
_YEARLY_SUMMARY = _yearly_summary_statement()
#: One page of a year's months (``contribution_history``), built once.
_PAGE_OF_YEAR = (
    select(Contribution)
    .where(
        *_OF_BOUND,
        Contribution.period >= bindparam("start"),
        Contribution.period < bindparam("end"),
    )
    .order_by(Contribution.period)
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
)


def _bound(city: City, person: Person, insurance_type: str, **more) -> dict:
    return {"city": city.code, "person": person.id, "insurance_type": str(insurance_type), **more}


def yearly_summary(city: City, person: Person, insurance_type: str) -> list[YearSummary]:
    """One line per year with records of this type, oldest first: its totals and how many
    rows it has. One aggregate query (the years of the year list, the year's totals and the
    pension charts all come from it); sums are made in fen, exactly, on every database."""
    found = db.session.execute(_YEARLY_SUMMARY, _bound(city, person, insurance_type))
    return [
        YearSummary(
            int(line_year),
            YearTotals(
                months_paid=int(months or 0),
                individual=_yuan(individual),
                employer=_yuan(employer),
                base_sum=_yuan(base),
                months_in_arrears=int(owed or 0),
                arrears_individual=_yuan(owed_individual),
                arrears_employer=_yuan(owed_employer),
            ),
            int(records),
        )
        for (
            line_year,
            records,
            months,
            individual,
            employer,
            base,
            owed,
            owed_individual,
            owed_employer,
        ) in found
    ]


def contribution_history(
    city: City,
    person: Person,
    insurance_type: str,
    year: int,
    page: int,
    summary: list[YearSummary] | None = None,
) -> History:
    """Page ``page`` of the person's months of ``insurance_type`` in ``year``: one query for
    the page's rows when ``summary`` (``yearly_summary``'s lines, which the page has already
    read for its year list) is given, two otherwise.

    Raises ``QueryError`` (with a sentence for the user) for a page past the end.
    """
    if summary is None:
        summary = yearly_summary(city, person, insurance_type)
    line = next((line for line in summary if line.year == year), None)
    totals, records = (line.totals, line.records) if line is not None else (YearTotals(), 0)
    per_page = city.options("contributions").page_size
    check_page(page, records, per_page)
    rows = db.session.scalars(
        _PAGE_OF_YEAR,
        _bound(
            city,
            person,
            insurance_type,
            start=date(year, 1, 1),
            end=date(year + 1, 1, 1),
            limit=per_page,
            offset=(page - 1) * per_page,
        ),
    ).all()
    return History(
        year=year,
        page=Page(items=list(rows), number=page, per_page=per_page, total=records),
        totals=totals,
    )


def contribution_rows(city: City, person: Person, insurance_type: str) -> dict[int, list]:
    """Every row of this type by year, oldest first, as plain rows (period, status, base,
    individual, employer, payer): what the pension account is made of."""
    rows = db.session.execute(
        select(
            Contribution.period,
            Contribution.status,
            Contribution.base,
            Contribution.individual,
            Contribution.employer,
            Contribution.payer,
        )
        .where(*_of(city, person, insurance_type))
        .order_by(Contribution.period)
    ).all()
    by_year: dict[int, list] = {}
    for row in rows:
        by_year.setdefault(row.period.year, []).append(row)
    return by_year


def all_years(lines: list[YearSummary]) -> YearTotals:
    """The sum of yearly lines (months paid and amounts paid; the base is not summed)."""
    return YearTotals(
        months_paid=sum(line.totals.months_paid for line in lines),
        individual=sum((line.totals.individual for line in lines), ZERO),
        employer=sum((line.totals.employer for line in lines), ZERO),
        months_in_arrears=sum(line.totals.months_in_arrears for line in lines),
        arrears_individual=sum((line.totals.arrears_individual for line in lines), ZERO),
        arrears_employer=sum((line.totals.arrears_employer for line in lines), ZERO),
    )
