"""缴费证明: the person's insurance types (first month, months paid, status) and one year's
contributions month by month, with the year's totals."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask_babel import gettext as _
from sqlalchemy import select

from ....core.extensions import db
from ....core.money import format_money
from ....documents.pdf import Column, Table
from ....people.insurance import InsuranceType, InsuredStatus
from ....people.models import Person, PersonInsurance
from ....tenancy.city import City
from ...contributions import services as contributions
from .common import (
    Certificate,
    choose_year,
    column,
    contribution_years,
    for_year,
    month_text,
    no_contributions_in,
)

KIND = "contribution_certificate"


def _status_labels(city: City, person: Person) -> dict[str, str]:
    """The person's current status (参保状态) per insurance type on record."""
    found = db.session.execute(
        select(PersonInsurance.insurance_type, PersonInsurance.status).where(
            PersonInsurance.city == city.code, PersonInsurance.person_id == person.id
        )
    )
    return {kind: _status_text(status) for kind, status in found}


def _status_text(status: str) -> str:
    try:
        return str(InsuredStatus(status).label)
    except ValueError:
        return status


def _insurance_types_table(
    city: City, person: Person, types: Iterable[InsuranceType]
) -> tuple[Table, int]:
    """One row per insurance type over all years, and the months paid in all of them."""
    spans = contributions.spans_by_type(city, person)
    statuses = _status_labels(city, person)
    rows = []
    months_paid = 0
    for insurance_type in types:
        span = spans[insurance_type]
        months_paid += span.months_paid
        rows.append(
            (
                str(insurance_type.label),
                month_text(span.first),
                str(span.months_paid),
                f"{month_text(span.first)} – {month_text(span.last)}",
                statuses.get(insurance_type, "—"),
            )
        )
    table = Table(
        caption=_("Insurance types"),
        columns=(
            column("insurance_type"),
            Column(_("First insured month"), 1.3),
            column("months_paid"),
            Column(_("Period covered"), 2),
            Column(_("Current status"), 1.5),
        ),
        rows=tuple(rows),
    )
    return table, months_paid


def build(city: City, person: Person, args: Mapping[str, str]) -> Certificate:
    found = contribution_years(city, person)
    year = choose_year(
        args,
        found.years,
        _("There are no contributions on record for you, so there is nothing to certify."),
    )
    summary, months_paid = _insurance_types_table(city, person, found.by_type)
    of_year = contributions.rows_by_type(city, person, year)
    month_rows = []
    year_rows = []
    for insurance_type in found.by_type:
        rows = of_year.get(insurance_type, [])
        year_rows.extend(rows)
        month_rows.extend(
            (
                month_text(row.period),
                str(insurance_type.label),
                format_money(row.base),
                format_money(row.individual),
                format_money(row.employer),
                row.status_label,
            )
            for row in rows
        )
    if not month_rows:
        raise no_contributions_in(year)
    month_rows.sort(key=lambda row: row[0])
    totals = contributions.totals_of(year_rows)
    months = Table(
        caption=_("Contributions month by month in %(year)s", year=year),
        columns=(
            column("month"),
            column("insurance_type"),
            Column(_("Contribution base (yuan)"), 1.4, number=True),
            column("individual"),
            column("employer"),
            Column(_("Status"), 1),
        ),
        rows=tuple(month_rows),
        footer=(
            _("Total paid"),
            "",
            "",
            format_money(totals.individual),
            format_money(totals.employer),
            "",
        ),
    )
    return for_year(
        KIND,
        person,
        year,
        found.years,
        tables=[summary, months],
        totals=[
            ("months_paid", str(months_paid)),
            ("year_individual", format_money(totals.individual)),
            ("year_employer", format_money(totals.employer)),
        ],
    )
