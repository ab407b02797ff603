"""The commands that need the app (and so valid cities): ``seed-demo`` and ``import``.

The app factory adds them, and every module's own commands, to ``app.cli``; the ``shebao``
group (``cli.py``) finds them there.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from .core.importing import ImportProblems, Progress, import_file
from .people.demo import DEMO_PEOPLE
from .registry import all_modules, import_kinds
from .seeding import database_is_empty, seed_city
from .staff.commands import staff_group


@click.command("seed-demo")
@with_appcontext
@click.option("--city", "city_codes", multiple=True, help="Only this city (repeatable).")
@click.option(
    "--persons",
    default=200,
    show_default=True,
    type=click.IntRange(1, 1_000_000),
    help="Generated persons per city, besides the fixed demo accounts.",
)
@click.option("--seed", default=2026, show_default=True, help="Same seed, same data.")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database holds persons.")
def seed_demo_command(city_codes: tuple[str, ...], persons: int, seed: int, if_empty: bool) -> None:
    """Load deterministic demo data (replaces earlier demo data of those cities)."""
    cities = current_app.extensions["shebao.cities"]
    if if_empty and not database_is_empty():
        click.echo("database already holds data; nothing seeded")
        return
    selected = [cities.get(code) for code in city_codes] if city_codes else list(cities)
    if None in selected:
        raise click.BadParameter(
            f"unknown city; known: {', '.join(c.code for c in cities)}", param_hint="--city"
        )
    for city in selected:
        with click.progressbar(
            length=persons + len(DEMO_PEOPLE), label=f"{city.code}: persons"
        ) as bar:
            count = seed_city(city, persons=persons, seed=seed, progress=bar.update)
        click.echo(f"{city.code}: {count} persons")


#: Files of more rows than this show a progress bar while they are checked and written.
PROGRESS_FROM_ROWS = 5000


def progress_bar(kind: str) -> Progress:
    """The engine's progress as a click progress bar, for files of many rows only."""

    @contextmanager
    def stage(name: str, rows: int) -> Iterator[Callable[[int], None]]:
        if rows <= PROGRESS_FROM_ROWS:
            yield lambda done: None
            return
        with click.progressbar(length=rows, label=f"{kind}: {name}") as bar:
            yield bar.update

    return stage


@click.command("import")
@with_appcontext
@click.option("--city", "city_code", required=True, help="The city the rows belong to.")
@click.option(
    "--kind",
    default="persons",
    show_default=True,
    type=click.Choice(sorted(import_kinds())),
    help="What the file holds (docs/import.md documents each format).",
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(city_code: str, kind: str, file: Path) -> None:
    """Load a CSV file (UTF-8, header row) all-or-nothing; a re-import updates."""
    city = current_app.extensions["shebao.cities"].get(city_code)
    if city is None:
        raise click.BadParameter(f"unknown city {city_code!r}", param_hint="--city")
    try:
        result = import_file(import_kinds()[kind], city.code, file, progress_bar(kind))
    except ImportProblems as error:
        for problem in error.problems:
            click.echo(f"{file}:{problem}", err=True)
        click.echo(f"{len(error.problems)} problem(s); nothing was imported.", err=True)
        sys.exit(1)
    click.echo(f"{city.code}: {result.inserted} added, {result.updated} updated")


def app_commands() -> list:
    """The platform's app commands plus every module's declared commands."""
    module_commands = [cmd for module in all_modules().values() for cmd in module.parts.commands]
    return [seed_demo_command, import_command, staff_group, *module_commands]
