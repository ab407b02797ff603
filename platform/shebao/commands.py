"""The commands that need the app (and so valid cities): ``seed-demo``, ``import``, the
background ``worker`` and ``scheduler``, and ``sms resend``.

The app factory adds them, and every module's own commands, to ``app.cli``; the ``shebao``
group (``cli.py``) finds them there.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from .core import jobs
from .core.importing import ImportProblems, Progress, import_file
from .core.transactions import unit_of_work
from .integrations.sms.dead_letters import mark_resent, waiting_dead_letters
from .integrations.sms.sending import deliver_sms, purge_dead_letters
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


#: Seconds between two ticks of ``shebao scheduler``.
SCHEDULER_INTERVAL = 60
log = logging.getLogger("shebao.jobs")


@click.command("worker")
@with_appcontext
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run background jobs (SMS, bank notifications, expiry) from the Redis queue."""
    app = current_app._get_current_object()
    if jobs.jobs(app).inline:
        raise click.ClickException(
            "SHEBAO_REDIS_URL is not set: jobs run inline in the process that asks for them, "
            "so there is no queue to work on"
        )
    # with_scheduler: retries wait in RQ's scheduled registry until their backoff is over.
    jobs.make_worker(app).work(burst=burst, with_scheduler=True)


def periodic_work(app) -> list[tuple[str, Callable[..., object], tuple]]:
    """(name, job, arguments) of every periodic job: each module's for each city that enables
    it, and the platform's own (blanking dead letters whose text is no longer valid)."""
    work: list[tuple[str, Callable[..., object], tuple]] = [
        ("sms.purge_dead_letters", purge_dead_letters, ())
    ]
    for module in all_modules().values():
        for job in module.parts.periodic_jobs:
            for city in app.extensions["shebao.cities"]:
                if city.module_enabled(module.name):
                    work.append((f"{module.name}.{job.__name__}.{city.code}", job, (city.code,)))
    return work


def scheduler_tick(app, interval: int) -> list[str]:
    """Hand every periodic job to the queue once (or run it inline without Redis); returns the
    names handed. With several schedulers (one per node) a job is handed by the first one per
    ``interval``: a Redis key claims it."""
    engine = jobs.jobs(app)
    handed = []
    for name, job, arguments in periodic_work(app):
        if not engine.inline:
            key = f"shebao:periodic:{name}"
            if not engine.connection.set(key, "1", nx=True, ex=max(1, interval - 1)):
                continue
        try:
            with app.app_context():  # inline, each job gets a session of its own
                jobs.enqueue(job, *arguments)
        except Exception:  # one failing job must not stop the others, nor the scheduler
            log.exception("periodic job %s failed", name)
            continue
        handed.append(name)
    return handed


@click.command("scheduler")
@with_appcontext
@click.option(
    "--interval",
    default=SCHEDULER_INTERVAL,
    show_default=True,
    type=click.IntRange(5, 3600),
    help="Seconds between two rounds.",
)
@click.option("--once", is_flag=True, help="One round, then stop (for cron or a test).")
def scheduler_command(interval: int, once: bool) -> None:
    """Every --interval seconds, queue the periodic jobs: expiring stale payment orders (the
    bank asked first about orders stuck in paying), blanking expired SMS dead letters.
    Safe on several nodes at once."""
    app = current_app._get_current_object()
    while True:
        handed = scheduler_tick(app, interval)
        where = "run inline (no SHEBAO_REDIS_URL)" if jobs.jobs(app).inline else "queued"
        click.echo(f"{len(handed)} periodic job(s) {where}")
        if once:
            return
        time.sleep(interval)


@click.group("sms")
def sms_group() -> None:
    """Texts the SMS gateway did not accept (dead letters)."""


@sms_group.command("resend")
@with_appcontext
@click.option("--city", "city_code", default=None, help="Only this city.")
def resend_command(city_code: str | None) -> None:
    """Send again every dead letter whose text is still valid (each once)."""
    if city_code is not None and current_app.extensions["shebao.cities"].get(city_code) is None:
        raise click.BadParameter(f"unknown city {city_code!r}", param_hint="--city")
    resent = 0
    for row in waiting_dead_letters(city_code):
        with unit_of_work():
            if not mark_resent(row):
                continue
        with unit_of_work():  # inline, a new failure keeps a new dead letter
            jobs.enqueue(deliver_sms, row.city, row.phone, row.text, row.valid_until)
        resent += 1
    click.echo(f"{resent} text(s) handed to the SMS gateway again")


def app_commands() -> list:
    """The platform's app commands plus every module's declared commands."""
    module_commands = [cmd for module in all_modules().values() for cmd in module.parts.commands]
    return [
        seed_demo_command,
        import_command,
        worker_command,
        scheduler_command,
        sms_group,
        staff_group,
        *module_commands,
    ]
