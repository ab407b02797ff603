"""养老账户对账单: the pension personal account year by year, over a chosen range of years.

The figures are the statement page's (``pension_account.account_statement``, the one credit
rule); the totals printed are frozen with the certificate and shown again by the verify page.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _

from ....core.money import format_money
from ....documents.pdf import Column, Table
from ....people.models import Person
from ....tenancy.city import City
from ....web.queries import QueryError, parse_year
from ...pension_account import services as pension_account
from .common import Certificate, NothingToCertify, column, person_facts

KIND = "account_statement"


def build(city: City, person: Person, args: Mapping[str, str]) -> Certificate:
    try:
        lines = pension_account.account_statement(city, person)
    except pension_account.NoCreditRule as missing:
        raise NothingToCertify(missing.message) from None
    if not lines:
        raise NothingToCertify(
            _(
                "There are no employee pension contributions on record for you, so your "
                "pension personal account has no entries."
            )
        )
    years = [line.year for line in lines]
    first = parse_year(args.get("from"), years, default=years[0])
    last = parse_year(args.get("to"), years, default=years[-1])
    if first > last:
        raise QueryError(_("The first year must not be after the last year."))
    chosen = [line for line in lines if first <= line.year <= last]
    totals = pension_account.statement_totals(chosen)
    rows = tuple(
        (
            str(line.year),
            str(line.months_paid),
            format_money(line.average_base),
            format_money(line.credited),
            f"{line.rate_percent}%",
            format_money(line.interest),
            format_money(line.closing_balance),
        )
        for line in chosen
    )
    table = Table(
        caption=_("Pension personal account by year"),
        columns=(
            Column(_("Year"), 0.8),
            column("months_paid", width=0.9),
            column("average_base", width=1.4),
            Column(_("Credited to the account (yuan)"), 1.4, number=True),
            Column(_("Interest rate"), 0.9, number=True),
            Column(_("Interest (yuan)"), 1.1, number=True),
            Column(_("Year-end balance (yuan)"), 1.4, number=True),
        ),
        rows=rows,
        footer=(
            _("Total"),
            str(totals.months_paid),
            "",
            format_money(totals.credited),
            "",
            format_money(totals.interest),
            format_money(totals.balance),
        ),
    )
    return Certificate(
        kind=KIND,
        parameters={"from": first, "to": last},
        period=f"{first} – {last}",
        facts=person_facts(person),
        tables=[table],
        totals=[
            ("credited", format_money(totals.credited)),
            ("interest", format_money(totals.interest)),
            ("account_balance", format_money(totals.balance)),
        ],
        choices={"from": (years, first), "to": (years, last)},
    )
