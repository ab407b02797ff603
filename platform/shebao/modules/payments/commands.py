"""``shebao payments …``: operator commands of the payments module.

Each command ends its own units of work: the expiry run one per order (after asking the bank,
never while waiting for it), so a failure leaves the orders already handled as they are.
"""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import AppGroup

from ...core.transactions import unit_of_work
from ...integrations.bank import BankError
from ...tenancy.city import City
from . import NAME
from .services import (
    ExpiryResult,
    ask_bank,
    expire_order,
    order_by_number,
    refunds_due,
    stale_order_numbers,
)

log = logging.getLogger("shebao.payments")
payments_group = AppGroup("payments", help="Payment orders: expiry and checks with the bank.")
CITY_OPTION = click.option(
    "--city", "city_codes", multiple=True, help="Only this city (repeatable)."
)


@payments_group.command("expire")
@CITY_OPTION
def expire_command(city_codes: tuple[str, ...]) -> None:
    """Expire unfinished orders older than the city's order_ttl_minutes; orders stuck in
    paying are first checked with the bank. Safe to run from cron on several nodes at once."""
    for city in _selected_cities(city_codes):
        if not city.module_enabled(NAME):
            continue
        result = expire_city(city)
        line = f"{city.code}: {result.expired} expired, {result.paid} paid, {result.failed} failed"
        if result.unchecked:
            line += f", {result.unchecked} left in paying (the bank could not be asked)"
        click.echo(line)


def expire_city(city: City) -> ExpiryResult:
    """One expiry run over ``city``: one unit of work per stale order, the bank asked first."""
    result = ExpiryResult()
    for number in stale_order_numbers(city):
        order = order_by_number(city, number)
        if order is None:
            continue
        try:
            answer = ask_bank(city, order)
        except BankError as error:
            log.warning("expiry: bank query for %s failed: %s", order.number, error)
            result.count("unchecked")
            continue
        with unit_of_work():
            result.count(expire_order(city, order, answer))
    return result


@payments_group.command("refunds")
@CITY_OPTION
def refunds_command(city_codes: tuple[str, ...]) -> None:
    """List payments that arrived for closed orders and are to be refunded."""
    for city in _selected_cities(city_codes):
        for row in refunds_due(city):
            click.echo(
                f"{city.code}\t{row.order_number}\t{row.bank}\t{row.transaction_id}\t"
                f"{row.amount:.2f}\t{row.status}"
            )


def _selected_cities(city_codes: tuple[str, ...]) -> list[City]:
    cities = current_app.extensions["shebao.cities"]
    selected = [cities.get(code) for code in city_codes] if city_codes else list(cities)
    if None in selected:
        raise click.BadParameter(
            f"unknown city; known: {', '.join(c.code for c in cities)}", param_hint="--city"
        )
    return selected
