"""Start-up builds only what serving needs (issue 11, B3 and B6): what only a command, a
migration, a queued job, a staff page or JSON logging uses is imported where it is used, the
PDF font is parsed by the first document (or once by a server's master, for every worker),
and none of this changes what the commands and pages do."""

from __future__ import annotations

import gc
import json
import os
import runpy
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from shebao import app as app_module
from shebao.core.settings import PROJECT_ROOT

BIN = Path(sys.executable).parent
#: Imported by whoever uses them, never by building the app.
LOADED_ON_USE = (
    "alembic",  # migrations (shebao db …)
    "flask_migrate",
    "rq",  # the job queue (SHEBAO_REDIS_URL set: the first job queued)
    "redis",
    "markdown_it",  # an announcement's body rendered
    "pythonjsonlogger",  # SHEBAO_LOG_FORMAT=json
    "shebao.commands",  # the app's commands, when a command line looks for one
    "shebao.seeding",  # seed-demo
    "shebao.core.importing",  # shebao import, and every module's import kinds
)


def _environment(tmp_path: Path, cities_dir: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SHEBAO_")}
    return {
        **clean,
        "SHEBAO_CITIES_DIR": str(cities_dir),
        "SHEBAO_INSTANCE_DIR": str(tmp_path / "instance"),
        "SHEBAO_DATABASE_URL": f"sqlite:///{tmp_path / 'startup.sqlite3'}",
    }


def test_building_the_app_imports_no_library_that_only_later_work_uses(tmp_path, cities_dir):
    script = (
        "import json, sys\n"
        "from shebao import create_app\n"
        "create_app()\n"
        f"print(json.dumps(sorted(m for m in {LOADED_ON_USE!r} if m in sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=_environment(tmp_path, cities_dir),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == []


def test_the_migration_commands_still_run_from_the_shebao_command(tmp_path, cities_dir):
    env = _environment(tmp_path, cities_dir)
    for arguments in (["db", "upgrade"], ["db", "current"]):
        done = subprocess.run(
            [str(BIN / "shebao"), *arguments],
            env=env,
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert done.returncode == 0, done.stderr
    assert "(head)" in done.stdout
    help_text = subprocess.run(
        [str(BIN / "shebao"), "db", "--help"],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    ).stdout
    for command in ("upgrade", "downgrade", "migrate", "current", "--directory"):
        assert command in help_text


def test_the_app_keeps_flask_migrates_settings_for_its_functions(app):
    bound = app.extensions["migrate"]
    assert bound.directory == str(app.config["SHEBAO_SETTINGS"].migrations_dir)
    # migrations/env.py hands these to Alembic (and adds its own hook once it has run).
    assert bound.configure_args["render_as_batch"] is True
    assert bound.configure_args["compare_type"] is True
    with app.app_context():
        config = bound.migrate.get_config()
    assert config.get_main_option("script_location") == bound.directory
    assert bound.metadata is bound.db.metadata


def test_the_master_parses_the_font_once_for_its_workers_when_a_city_prints(app, monkeypatch):
    from shebao.documents import pdf

    warmed = []
    monkeypatch.setattr(pdf, "warm_up", lambda: warmed.append(True))
    assert any(city.module_enabled("printing") for city in app.extensions["shebao.cities"])
    try:
        app_module.prepare_to_fork(app)
        assert warmed == [True]
        assert gc.get_freeze_count() > 0  # what the master built stays out of collections
    finally:
        gc.unfreeze()


def test_a_master_whose_cities_do_not_print_parses_no_font(app, monkeypatch):
    from shebao.documents import pdf

    warmed = []
    monkeypatch.setattr(pdf, "warm_up", lambda: warmed.append(True))
    monkeypatch.setitem(
        app.extensions,
        "shebao.cities",
        [SimpleNamespace(module_enabled=lambda name: False)],
    )
    try:
        app_module.prepare_to_fork(app)
    finally:
        gc.unfreeze()
    assert warmed == []


def test_gunicorns_master_prepares_the_preloaded_app_before_forking(app, monkeypatch):
    config = runpy.run_path(str(PROJECT_ROOT / "deploy" / "gunicorn.conf.py"))
    prepared = []
    monkeypatch.setattr(app_module, "prepare_to_fork", prepared.append)

    def server(preload: bool):
        return SimpleNamespace(
            cfg=SimpleNamespace(preload_app=preload), app=SimpleNamespace(wsgi=lambda: app)
        )

    config["when_ready"](server(preload=False))
    assert prepared == []  # each worker builds its own app: nothing shared to prepare
    config["when_ready"](server(preload=True))
    assert prepared == [app]


def test_the_apps_commands_are_there_when_a_command_line_asks(app):
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["--help"]).output
    for name in ("seed-demo", "import", "worker", "scheduler", "sms", "staff", "payments", "db"):
        assert name in listed
    kinds = runner.invoke(args=["import", "--help"]).output
    assert "contributions" in kinds and "persons" in kinds
