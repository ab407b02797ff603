"""``shebao payments …``: operator commands of the payments module."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

payments_group = AppGroup("payments", help="Payment orders: expiry and checks with the bank.")


@payments_group.command("expire")
@click.option("--city", "city_codes", multiple=True, help="Only this city (repeatable).")
def expire_command(city_codes: tuple[str, ...]) -> None:
    """Expire unfinished orders older than the city's order_ttl_minutes; orders stuck in
    paying are first checked with the bank. Safe to run from cron on several nodes at once."""
    from .services import expire_stale_orders

    cities = current_app.extensions["shebao.cities"]
    selected = [cities.get(code) for code in city_codes] if city_codes else list(cities)
    if None in selected:
        raise click.BadParameter(
            f"unknown city; known: {', '.join(c.code for c in cities)}", param_hint="--city"
        )
    for city in selected:
        if not city.module_enabled("payments"):
            continue
        result = expire_stale_orders(city)
        click.echo(
            f"{city.code}: {result.expired} expired, {result.paid} paid, {result.failed} failed"
        )


@payments_group.command("refunds")
@click.option("--city", "city_codes", multiple=True, help="Only this city (repeatable).")
def refunds_command(city_codes: tuple[str, ...]) -> None:
    """List payments that arrived for closed orders and are to be refunded."""
    from .services import refunds_due

    cities = current_app.extensions["shebao.cities"]
    selected = [cities.get(code) for code in city_codes] if city_codes else list(cities)
    if None in selected:
        raise click.BadParameter(
            f"unknown city; known: {', '.join(c.code for c in cities)}", param_hint="--city"
        )
    for city in selected:
        for row in refunds_due(city.code):
            click.echo(
                f"{city.code}\t{row.order_number}\t{row.bank}\t{row.transaction_id}\t"
                f"{row.amount:.2f}\t{row.status}"
            )
