"""养老金收入证明: a retiree's monthly pension in one year, with the year's total."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _

from ....core.money import format_money
from ....documents.pdf import Column, Table
from ....people.models import Person
from ....tenancy.city import City
from ...benefits import services as benefits
from .common import (
    Certificate,
    NotAvailable,
    NothingToCertify,
    choose_year,
    column,
    for_year,
    month_text,
)

KIND = "pension_income"
PENSION = "pension"


def build(city: City, person: Person, args: Mapping[str, str]) -> Certificate:
    if person.category != "retiree":
        raise NotAvailable(
            _(
                "The pension income certificate is for retirees who receive a pension; "
                "your record does not show you as retired."
            )
        )
    years = sorted(benefits.payment_years(city, person, PENSION))
    year = choose_year(args, years, _("You have no retirement pension payments on record."))
    # A year holds at most twelve monthly payments: one page of twelve is all of them.
    page = benefits.payments(city, person, PENSION, year, None, 1, per_page=12)
    total = benefits.period_total(city, person, PENSION, year, None)
    rows = tuple(
        (month_text(payment.period), payment.paid_on.isoformat(), format_money(payment.total))
        for payment in page.items
    )
    if not rows:
        raise NothingToCertify(_("No pension was paid to you in %(year)s.", year=year))
    table = Table(
        caption=_("Monthly pension in %(year)s", year=year),
        columns=(
            column("month"),
            Column(_("Paid on"), 1),
            Column(_("Amount (yuan)"), 1, number=True),
        ),
        rows=rows,
        footer=(_("Total"), "", format_money(total)),
    )
    return for_year(
        KIND,
        person,
        year,
        years,
        tables=[table],
        totals=[("months_received", str(len(rows))), ("pension_total", format_money(total))],
    )
