"""The ``shebao`` command: Flask's CLI (run, routes, shell, db …) plus the project's commands."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import FlaskGroup

from .app import create_app_or_exit, refuse_to_start
from .core.importing import formats_markdown
from .core.settings import Settings, SettingsError
from .registry import all_modules, import_kinds
from .tenancy.docs import render_outputs
from .tenancy.loader import CityConfigError, load_cities
from .tenancy.matrix import city_matrix


def _create_app():
    """The app for Flask's commands (run, db …): a refused setting or city file is printed
    one line each, as ``shebao check`` does, and the command exits non-zero."""
    return create_app_or_exit()


@click.group(cls=FlaskGroup, create_app=_create_app, load_dotenv=False, set_debug_flag=False)
def cli() -> None:
    """Shebao: the city social-insurance self-service platform."""


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as error:
        refuse_to_start(error)
        raise  # unreachable: refuse_to_start exits


@cli.command("check", with_appcontext=False)
@click.option("--cities-dir", type=click.Path(path_type=Path), help="Check this folder instead.")
def check_command(cities_dir: Path | None) -> None:
    """Validate every city's YAML (the same checks the app makes at start)."""
    settings = _settings()
    folder = cities_dir.resolve() if cities_dir else settings.cities_dir
    try:
        cities = load_cities(folder, settings.themes_dir, settings.base_domain, all_modules())
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
    """Write cities/city.schema.json, docs/city-yaml.md and docs/import.md."""
    settings = _settings()
    stale = []
    outputs = render_outputs(settings, all_modules())
    outputs[settings.cities_dir.parent / "docs" / "import.md"] = formats_markdown(import_kinds())
    for path, content in outputs.items():
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
    settings = _settings()
    modules = all_modules()
    try:
        cities = load_cities(
            settings.cities_dir, settings.themes_dir, settings.base_domain, modules
        )
    except CityConfigError as error:
        refuse_to_start(error)
    click.echo(city_matrix(list(cities), list(modules)))
