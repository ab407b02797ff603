"""个人权益记录: one year's contributions by insurance type, and the pension personal account
balance at the end of that year."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _

from ....core.money import ZERO, format_money
from ....documents.pdf import Table
from ....people.models import Person
from ....tenancy.city import City
from ...contributions import services as contributions
from ...pension_account import services as pension_account
from .common import (
    Certificate,
    NothingToCertify,
    choose_year,
    column,
    contribution_years,
    for_year,
    no_contributions_in,
)

KIND = "rights_record"


def build(city: City, person: Person, args: Mapping[str, str]) -> Certificate:
    found = contribution_years(city, person)
    year = choose_year(
        args,
        found.years,
        _("There are no contributions on record for you, so there is no rights record."),
    )
    of_year = contributions.rows_by_type(city, person, year)
    rows = []
    individual = employer = ZERO
    for insurance_type in found.by_type:
        totals = contributions.totals_of(of_year.get(insurance_type, []))
        if not totals.months_paid and not totals.months_in_arrears:
            continue
        individual += totals.individual
        employer += totals.employer
        rows.append(
            (
                str(insurance_type.label),
                format_money(totals.average_base),
                str(totals.months_paid),
                format_money(totals.individual),
                format_money(totals.employer),
            )
        )
    if not rows:
        raise no_contributions_in(year)
    try:
        statement = [
            line for line in pension_account.account_statement(city, person) if line.year <= year
        ]
    except pension_account.NoCreditRule as missing:
        raise NothingToCertify(missing.message) from None
    balance = statement[-1].closing_balance if statement else ZERO
    table = Table(
        caption=_("Statement of %(year)s by insurance type", year=year),
        columns=(
            column("insurance_type"),
            column("average_base"),
            column("months_paid"),
            column("individual"),
            column("employer"),
        ),
        rows=tuple(rows),
        footer=(_("Total"), "", "", format_money(individual), format_money(employer)),
    )
    return for_year(
        KIND,
        person,
        year,
        found.years,
        tables=[
            table,
            _(
                "Pension personal account balance at the end of %(year)s: %(balance)s yuan",
                year=year,
                balance=format_money(balance),
            ),
        ],
        totals=[
            ("year_individual", format_money(individual)),
            ("year_employer", format_money(employer)),
            ("account_balance", format_money(balance)),
        ],
    )
