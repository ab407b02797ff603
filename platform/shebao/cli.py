"""The ``shebao`` command: Flask's CLI (run, routes, shell, db …) plus the project's commands."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from .importing import import_kinds
from .settings import Settings, SettingsError


def _create_app():
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, load_dotenv=False, set_debug_flag=False)
def cli() -> None:
    """Shebao: the city social-insurance self-service platform."""


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as error:
        raise click.ClickException(str(error)) from None


@cli.command("check", with_appcontext=False)
@click.option("--cities-dir", type=click.Path(path_type=Path), help="Check this folder instead.")
def check_command(cities_dir: Path | None) -> None:
    """Validate every city's YAML (the same checks the app makes at start)."""
    from .tenancy.loader import CityConfigError, load_cities

    settings = _settings()
    folder = cities_dir.resolve() if cities_dir else settings.cities_dir
    try:
        cities = load_cities(folder, settings.themes_dir, settings.base_domain)
    except CityConfigError as error:
        for problem in error.problems:
            click.echo(problem, err=True)
        click.echo(f"{len(error.problems)} problem(s) found.", err=True)
        sys.exit(1)
    for city in cities:
        click.echo(f"ok  {city.code}: {', '.join(city.hosts(settings.base_domain))}")


@cli.command("schema", with_appcontext=False)
@click.option("--check", "check_only", is_flag=True, help="Fail if the written files are stale.")
def schema_command(check_only: bool) -> None:
    """Write cities/city.schema.json and docs/city-yaml.md from the city YAML schema."""
    from .tenancy.docs import render_outputs

    settings = _settings()
    stale = []
    for path, content in render_outputs(settings).items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == content:
            continue
        stale.append(path)
        if not check_only:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
            click.echo(f"wrote {path}")
    if check_only and stale:
        raise click.ClickException(
            "stale: " + ", ".join(map(str, stale)) + " (run `shebao schema`)"
        )
    if not stale:
        click.echo("schema and docs are up to date")


@cli.command("cities", with_appcontext=False)
def cities_command() -> None:
    """Print the matrix of cities × modules and auth styles."""
    from .tenancy.loader import CityConfigError, load_cities
    from .tenancy.matrix import city_matrix

    settings = _settings()
    try:
        cities = load_cities(settings.cities_dir, settings.themes_dir, settings.base_domain)
    except CityConfigError as error:
        raise click.ClickException(str(error)) from None
    click.echo(city_matrix(list(cities)))


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
    from .demo.seed import DEMO_PEOPLE, database_is_empty, seed_city

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
    from .people.importer import ImportError_

    city = current_app.extensions["shebao.cities"].get(city_code)
    if city is None:
        raise click.BadParameter(f"unknown city {city_code!r}", param_hint="--city")
    try:
        result = import_kinds()[kind](city, file)
    except ImportError_ as error:
        for problem in error.problems:
            click.echo(f"{file}:{problem}", err=True)
        click.echo(f"{len(error.problems)} problem(s); nothing was imported.", err=True)
        sys.exit(1)
    click.echo(f"{city.code}: {result.inserted} added, {result.updated} updated")


#: Commands that need the app (and so valid cities); FlaskGroup finds them on ``app.cli``.
APP_COMMANDS = (seed_demo_command, import_command)


def register(app) -> None:
    from .modules.payments.commands import payments_group

    for command in (*APP_COMMANDS, payments_group):
        app.cli.add_command(command)
