"""What every certificate is made of: the content model, the person's facts, the choice of a
year, the standard table columns, and the names of the totals.

A ``Certificate`` holds the facts, tables and totals shown on screen and printed; builders
raise ``NothingToCertify`` (say so, print nothing) or ``QueryError`` (bad conditions).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ....documents.pdf import Column, Table
from ....people.idnumber import mask_id_number
from ....people.insurance import InsuranceType
from ....people.models import Person
from ....tenancy.city import City
from ....web.queries import parse_year
from ...contributions import services as contributions

#: What the totals of a certificate are called (on screen, in the PDF, on the verify page).
TOTAL_LABELS = {
    "months_paid": _l("Months paid (all insurance types, all years)"),
    "year_individual": _l("Individual contributions in the year (yuan)"),
    "year_employer": _l("Employer contributions in the year (yuan)"),
    "pension_total": _l("Pension received in the period (yuan)"),
    "months_received": _l("Months of pension received"),
    "account_balance": _l("Pension personal account balance at the end of the period (yuan)"),
    "credited": _l("Credited to the account in the period (yuan)"),
    "interest": _l("Interest in the period (yuan)"),
}

#: Columns several certificates print: key → (heading, relative width, right-aligned).
_COLUMNS = {
    "month": (_l("Month"), 1, False),
    "insurance_type": (_l("Insurance type"), 2.2, False),
    "months_paid": (_l("Months paid"), 1, True),
    "average_base": (_l("Average monthly base (yuan)"), 1.5, True),
    "individual": (_l("Individual part (yuan)"), 1.4, True),
    "employer": (_l("Employer part (yuan)"), 1.4, True),
}


class NothingToCertify(Exception):
    """The person has no records for this certificate (or the period): say so, print nothing."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotAvailable(NothingToCertify):
    """This certificate is not for this person (a pension certificate for a non-retiree)."""


@dataclass
class Certificate:
    kind: str
    parameters: dict
    period: str
    facts: list[tuple[str, str]]
    tables: list[Table | str]
    totals: list[tuple[str, str]]
    #: The query controls: name → (choices, selected), for the page's forms.
    choices: dict[str, tuple[list[int], int]] = field(default_factory=dict)


def person_facts(person: Person) -> list[tuple[str, str]]:
    return [(_("Name"), person.name), (_("ID number"), mask_id_number(person.id_number))]


def month_text(value: date) -> str:
    return value.strftime("%Y-%m")


def column(key: str, width: float | None = None) -> Column:
    """A standard column (``_COLUMNS``), in the reader's language; ``width`` overrides."""
    heading, standard_width, number = _COLUMNS[key]
    return Column(str(heading), standard_width if width is None else width, number=number)


def choose_year(args: Mapping[str, str], years: Sequence[int], nothing: str) -> int:
    """The year asked for in ``args`` (the newest by default); ``NothingToCertify(nothing)``
    when there are no years, ``QueryError`` for a year not among them."""
    if not years:
        raise NothingToCertify(nothing)
    return parse_year(args.get("year"), list(years), default=years[-1])


def for_year(
    kind: str,
    person: Person,
    year: int,
    years: list[int],
    tables: list[Table | str],
    totals: list[tuple[str, str]],
) -> Certificate:
    """A certificate of one year chosen among ``years``."""
    return Certificate(
        kind=kind,
        parameters={"year": year},
        period=str(year),
        facts=person_facts(person),
        tables=tables,
        totals=totals,
        choices={"year": (years, year)},
    )


@dataclass(frozen=True)
class ContributionYears:
    """The insurance types the person has contributions of, each with its years, and every
    year with any contribution (oldest first)."""

    by_type: dict[InsuranceType, list[int]]
    years: list[int]


def contribution_years(city: City, person: Person) -> ContributionYears:
    by_type = contributions.insured_years_by_type(city, person)
    years = sorted({year for found in by_type.values() for year in found})
    return ContributionYears(by_type=by_type, years=years)


def no_contributions_in(year: int) -> NothingToCertify:
    return NothingToCertify(_("There are no contributions on record for %(year)s.", year=year))
