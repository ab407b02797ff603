"""``shebao staff create``: a city's first administrator (or any member) from the command line."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from ..core.transactions import unit_of_work
from .models import ROLES
from .services import members
from .services.errors import StaffError

staff_group = AppGroup("staff", help="Service-hall staff accounts of a city.")


@staff_group.command("create")
@click.option("--city", "city_code", required=True, help="The city the member works for.")
@click.option("--user", "username", required=True, help="User name (lower-case, 3-32).")
@click.option("--name", "display_name", default=None, help="Full name (default: the user name).")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice(ROLES),
    help="A role (repeatable).",
)
def create_command(city_code: str, username: str, display_name: str | None, roles) -> None:
    """Create a staff member and print the enrolment code, once: the member opens
    https://<city host>/staff/enrol with it, sets a password and adds the one-time-code key
    to an authenticator app."""
    city = current_app.extensions["shebao.cities"].get(city_code)
    if city is None:
        raise click.BadParameter(f"unknown city {city_code!r}", param_hint="--city")
    if not city.config.staff.enabled:
        raise click.ClickException(
            f"{city.code}: the staff console is off (set staff.enabled: true in its city.yaml)"
        )
    try:
        with unit_of_work():
            member, code = members.create_member(
                city, username, display_name or username, list(roles), by=None
            )
    except StaffError as refusal:
        raise click.ClickException(refusal.message) from None
    click.echo(f"{city.code}: staff member {member.username} created ({member.roles})")
    click.echo(f"enrolment code (shown once, valid {members.ENROLMENT_VALID.days} days): {code}")
    click.echo(
        f"enrol at: https://{city.hosts(current_app.config['SHEBAO_SETTINGS'].base_domain)[0]}/staff/enrol"
    )
