"""The app factory: the one place that wires every layer together."""

from __future__ import annotations

import gc
import logging
import sqlite3
import sys
from pathlib import Path

from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from .account.notices import text_resident
from .account.sessions import load_account
from .core import jobs
from .core.extensions import babel, csrf, db, limiter, migrate
from .core.settings import Settings, SettingsError
from .integrations.bank.factory import create_bank_gateway
from .integrations.bank.views import blueprint as sandbox_bank_blueprint
from .integrations.sms.factory import create_gateway
from .messages.services import SMS_SENDER
from .registry import all_modules, import_models
from .staff.views import blueprint as staff_console
from .staff.views.public import blueprint as staff_notices
from .tenancy import scoping
from .tenancy.loader import CityConfigError, load_cities
from .web import hooks, i18n, request_log, sessions, static_urls, templating
from .web.views import blueprint as portal

PACKAGE_DIR = Path(__file__).resolve().parent
log = logging.getLogger("shebao")


class _Commands(AppGroup):
    """``app.cli`` with the platform's and every module's commands (``commands.app_commands``)
    imported when a command line first looks for one: serving never does, and they bring the
    demo seeders, the CSV import engine and every module's importer (bench B3/B6)."""

    _added = False

    def _add_app_commands(self) -> None:
        if not self._added:
            self._added = True
            from .commands import app_commands

            for command in app_commands():
                self.add_command(command)

    def get_command(self, ctx, cmd_name):
        self._add_app_commands()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx):
        self._add_app_commands()
        return super().list_commands(ctx)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


def create_app(settings: Settings | None = None, config: dict | None = None) -> Flask:
    """Build the app for every city under ``settings.cities_dir``.

    Refuses to start (raises) when the settings or any city's YAML is invalid.
    """
    settings = settings or Settings.from_env()
    settings.validate()
    if settings.log_format == "json":
        request_log.configure_json_logging()
    modules = all_modules()
    import_models()
    cities = load_cities(settings.cities_dir, settings.themes_dir, settings.base_domain, modules)

    app = Flask(
        __name__,
        instance_path=str(settings.instance_dir),
        static_folder=None,
        template_folder=str(PACKAGE_DIR / "templates"),
    )
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SQLALCHEMY_DATABASE_URI=settings.database_url,
        # Outside debugging, a database error is logged without its SQL parameters: they are
        # what residents typed (phone numbers, addresses).
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True, "hide_parameters": not app.debug},
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.production,
        SESSION_COOKIE_NAME="shebao_session",
        MAX_CONTENT_LENGTH=12 * 1024 * 1024,
        BABEL_DEFAULT_LOCALE="zh_CN",
        BABEL_DEFAULT_TIMEZONE="Asia/Shanghai",
        BABEL_TRANSLATION_DIRECTORIES=str(PACKAGE_DIR / "translations"),
        WTF_CSRF_TIME_LIMIT=None,
        SHEBAO_SETTINGS=settings,
    )
    app.cli = _Commands(app.name)
    if config:
        app.config.update(config)
    settings.instance_dir.mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    scoping.install(db.session.session_factory.class_)
    migrate.init_app(app, db, directory=str(settings.migrations_dir))
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    i18n.install_template_gettext(app)

    sessions.install(
        app,
        user_loader=load_account,
        open_while_forced=frozenset().union(*(m.open_while_forced for m in modules.values())),
    )
    app.extensions["shebao.cities"] = cities
    app.extensions["shebao.modules"] = modules
    app.extensions["shebao.sms"] = create_gateway(settings)
    # Messages sent by SMS count against the accounts' SMS limits: the accounts text them.
    app.extensions[SMS_SENDER] = text_resident
    app.extensions["shebao.bank"] = create_bank_gateway(settings)
    jobs.install(app, settings.redis_url)
    if not settings.captcha:
        log.warning("SHEBAO_CAPTCHA=off: the login captcha is switched off (automated tests only)")
    templating.install(app, cities, settings)
    static_urls.install(app)
    request_log.install(app)  # first of the request hooks: every request is timed and logged
    hooks.install(app, modules)
    # After the city is resolved (hooks run first), so that a refused form (CSRF) or a rate
    # limit answers with the city's own themed error page in the resident's language.
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", settings.ratelimit_storage)
    limiter.init_app(app)

    app.register_blueprint(portal)
    app.register_blueprint(staff_console)
    app.register_blueprint(staff_notices)
    for module in modules.values():
        app.register_blueprint(module.parts.blueprint)
    if settings.bank_backend == "sandbox":
        app.register_blueprint(sandbox_bank_blueprint)
    if settings.proxy_hops:
        # The client address (rate limits, lockouts, the audit log) and scheme from exactly
        # that many proxies; X-Forwarded-Host is never trusted: the Host header picks the city.
        hops = settings.proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)

    if settings.production is False:
        log.info(
            "Shebao serving %s on *.%s", ", ".join(c.code for c in cities), settings.base_domain
        )
    return app


def prepare_to_fork(app: Flask) -> None:
    """What a server's master does once it has built ``app`` and before it forks workers
    (``deploy/gunicorn.conf.py``, ``preload_app``): what every worker would otherwise do for
    itself is done once here, in memory the workers share.

    - The CJK font is parsed when a city prints (0.5 s, some 25 MB), instead of by each
      worker on its first PDF. ``create_app`` does not parse it: a process that prints
      nothing (a CLI command, most workers of a server without ``preload_app``) never pays
      for it, and one that prints pays on its first PDF.
    - Every object built so far is moved out of the garbage collector's sight
      (``gc.freeze``): a worker's collections would otherwise write to each object's header,
      and so copy the memory page it stands in, shared with the master until then.
    """
    if any(city.module_enabled("printing") for city in app.extensions["shebao.cities"]):
        from .documents.pdf import warm_up

        warm_up()
    gc.collect()
    gc.freeze()


#: What keeps the app from starting because of its configuration, not because of a bug.
REFUSALS = (SettingsError, CityConfigError)


def refuse_to_start(error: SettingsError | CityConfigError, exit_code: int = 1) -> None:
    """Print each problem of ``error`` as one line on stderr and exit with ``exit_code``.

    For the ``shebao`` command, Gunicorn's app loading (``deploy/wsgi.py``) and ``make run``:
    the same lines as ``shebao check``, never a traceback.
    """
    for problem in error.problems:
        print(problem, file=sys.stderr)
    print(f"{len(error.problems)} problem(s) found; Shebao did not start.", file=sys.stderr)
    raise SystemExit(exit_code)


def create_app_or_exit(exit_code: int = 1) -> Flask:
    """``create_app()`` from the environment, or ``refuse_to_start`` when it is refused."""
    try:
        return create_app()
    except REFUSALS as error:
        refuse_to_start(error, exit_code)
        raise  # unreachable: refuse_to_start exits


# Everything imported to this point (the whole platform, some 145,000 objects the cyclic garbage
# collector tracks) lives as long as the process: move it out of the collector's sight. Its
# full passes no longer walk it (one took 0.1-0.2 s, in a request as well), nor do the
# collections of the interpreter's exit, which took 0.6-0.8 s of every start-up measured to the
# process's end and of every `shebao` command (bench B3). Nothing is garbage at this point
# (gc.collect() here finds none), so nothing is kept that would have been freed.
gc.freeze()
