"""缴费证明: the person's insurance types (first month, months paid, status) and one year's
contributions month by month, with the year's totals."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _
from sqlalchemy import select

from ....core.extensions import db
from ....core.money import format_money as money
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


def _status_label(city: City, person: Person, insurance_type: InsuranceType) -> str:
    """The person's current status in ``insurance_type`` (参保状态), or a dash."""
    status = db.session.scalar(
        select(PersonInsurance.status).where(
            PersonInsurance.city == city.code,
            PersonInsurance.person_id == person.id,
            PersonInsurance.insurance_type == str(insurance_type),
        )
    )
    if status is None:
        return "—"
    try:
        return str(InsuredStatus(status).label)
    except ValueError:
        return status


def _insurance_types_table(
    city: City, person: Person, by_type: dict[InsuranceType, list[int]]
) -> tuple[Table, int]:
    """One row per insurance type over all years, and the months paid in all of them."""
    rows = []
    months_paid = 0
    for insurance_type, type_years in by_type.items():
        first = contributions.contributions_in_year(city, person, insurance_type, type_years[0])
        last = contributions.contributions_in_year(city, person, insurance_type, type_years[-1])
        paid = contributions.all_years(contributions.yearly_summary(city, person, insurance_type))
        months_paid += paid.months_paid
        rows.append(
            (
                str(insurance_type.label),
                month_text(first[0].period),
                str(paid.months_paid),
                f"{month_text(first[0].period)} – {month_text(last[-1].period)}",
                _status_label(city, person, insurance_type),
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
    month_rows = []
    year_rows = []
    for insurance_type in found.by_type:
        rows = contributions.contributions_in_year(city, person, insurance_type, year)
        year_rows.extend(rows)
        month_rows.extend(
            (
                month_text(row.period),
                str(insurance_type.label),
                money(row.base),
                money(row.individual),
                money(row.employer),
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
        footer=(_("Total paid"), "", "", money(totals.individual), money(totals.employer), ""),
    )
    return for_year(
        KIND,
        person,
        year,
        found.years,
        tables=[summary, months],
        totals=[
            ("months_paid", str(months_paid)),
            ("year_individual", money(totals.individual)),
            ("year_employer", money(totals.employer)),
        ],
    )
