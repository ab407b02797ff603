"""Fixtures: one app for the shipped cities plus the fixture cities, a client per city host.

The database is SQLite in a temporary folder, or the PostgreSQL database named by
``SHEBAO_TEST_DATABASE_URL`` (its public schema is dropped and rebuilt). Either way the schema
comes from the Alembic migrations, so every run also proves that the migrations work there.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text
from werkzeug.serving import make_server

from shebao import create_app
from shebao.core.extensions import db
from shebao.core.settings import PROJECT_ROOT, Settings

TESTS_DIR = Path(__file__).resolve().parent
FIXTURE_CITIES = TESTS_DIR / "fixtures" / "cities"
SHIPPED_CITIES = PROJECT_ROOT / "cities"
DATABASE_URL = os.environ.get("SHEBAO_TEST_DATABASE_URL", "").strip()
CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
KNOWN_CAPTCHA = "TEST"
PASSWORD = "Good2026pass"
#: scrypt's work factor for every password the tests hash: 2**10 instead of production's 2**15,
#: so a hash costs about 3 ms here instead of about 130 ms (it stays real scrypt, r=8, p=1).
TEST_SCRYPT_N = 2**10
#: ``SHEBAO_*`` variables every test app gets (an env given to the CLI should carry them too).
TEST_ENV = {"SHEBAO_PASSWORD_SCRYPT_N": str(TEST_SCRYPT_N)}


def make_cities_dir(target: Path, *sources: Path) -> Path:
    """A cities folder holding links to every city under ``sources`` (and to the provinces/
    folder of files that cities share, which city files name in ``extends``)."""
    target.mkdir(parents=True, exist_ok=True)
    for source in sources:
        for city in sorted(source.iterdir()):
            if (city / "city.yaml").is_file() or (
                city.name == "provinces" and city.is_dir() and not (target / city.name).exists()
            ):
                (target / city.name).symlink_to(city, target_is_directory=True)
    return target


def make_settings(
    tmp: Path, cities_dir: Path, database_url: str | None = None, **overrides
) -> Settings:
    url = database_url or DATABASE_URL or f"sqlite:///{tmp / 'test.sqlite3'}"
    return Settings.from_env(
        {**TEST_ENV, "SHEBAO_DATABASE_URL": url},
        cities_dir=cities_dir,
        instance_dir=tmp / "instance",
        sms_outbox=tmp / "instance" / "sms_outbox.jsonl",
        **overrides,
    )


def reset_database(app) -> None:
    """Drop everything and upgrade to the newest migration."""
    from flask_migrate import upgrade

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        else:
            db.drop_all()
            with db.engine.begin() as connection:
                connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()


@pytest.fixture(scope="session")
def cities_dir(tmp_path_factory) -> Path:
    return make_cities_dir(tmp_path_factory.mktemp("cities"), SHIPPED_CITIES, FIXTURE_CITIES)


class LateApp:
    """A WSGI app bound after its server started (the server's port goes into the settings)."""

    app = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


def serve_in_thread(wsgi_app, name: str):
    """A threaded werkzeug server on a free loopback port; returns (server, thread)."""
    server = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    return server, thread


@pytest.fixture(scope="session")
def notify_server():
    """The test app over real HTTP on loopback: where the sandbox bank posts notifications
    (``SHEBAO_SANDBOX_BANK_NOTIFY_ADDRESS``), as a bank reaches nginx or a node."""
    late = LateApp()
    server, thread = serve_in_thread(late, "shebao-notify-server")
    yield late, f"127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def settings(tmp_path_factory, cities_dir, notify_server) -> Settings:
    settings = make_settings(
        tmp_path_factory.mktemp("shebao"),
        cities_dir,
        sandbox_bank_notify_address=notify_server[1],
    )
    assert settings.password_scrypt_n == TEST_SCRYPT_N  # the app hashes with the cheap factor
    return settings


@pytest.fixture(scope="session")
def app(settings, notify_server):
    app = create_app(settings, {"TESTING": True})
    reset_database(app)
    notify_server[0].app = app
    return app


@pytest.fixture(scope="session", autouse=True)
def _known_captcha():
    """Every captcha drawn in tests shows KNOWN_CAPTCHA (the check itself stays real)."""
    from shebao.account import captcha

    patch = pytest.MonkeyPatch()
    patch.setattr(captcha, "new_text", lambda: KNOWN_CAPTCHA)
    yield
    patch.undo()


@pytest.fixture(autouse=True)
def _clean_tables(request):
    """Every test starts with empty tables and fresh rate limits (for tests that use the app)."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    from shebao.core.extensions import limiter

    limiter.reset()
    outbox = app.extensions["shebao.sms"].path
    if outbox.exists():
        outbox.unlink()
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())


class CityClient(FlaskClient):
    """A test client whose every request carries one Host header (a city's, by default)."""

    host = "localhost"

    def open(self, *args, **kwargs):
        headers = dict(kwargs.pop("headers", None) or {})
        headers.setdefault("Host", self.host)
        return super().open(*args, headers=headers, **kwargs)

    def submit(self, path: str, data: dict, form_page: str | None = None, **kwargs):
        """POST ``data`` to ``path`` with the CSRF token of the form on ``form_page`` (or path)."""
        page = self.get(form_page or path).get_data(as_text=True)
        match = CSRF_INPUT.search(page)
        assert match, f"no CSRF token on {form_page or path}"
        return self.post(path, data={"csrf_token": match.group(1), **data}, **kwargs)

    def login(self, id_number: str, password: str, captcha: str = KNOWN_CAPTCHA.lower()):
        self.get("/account/captcha.png")  # draws the challenge, as the login page's <img> does
        return self.submit(
            "/account/login", {"id_number": id_number, "password": password, "captcha": captcha}
        )


@pytest.fixture
def client_for(app):
    def make(code: str, host: str | None = None) -> CityClient:
        app.test_client_class = CityClient
        client = app.test_client()
        client.host = f"{code}.localhost" if host is None else host
        return client

    return make


@pytest.fixture
def binzhou(client_for):
    return client_for("binzhou")


@pytest.fixture
def dezhou(client_for):
    return client_for("dezhou")


@pytest.fixture
def linhu(client_for):
    return client_for("linhu")


@pytest.fixture
def city_of(app):
    def get(code: str):
        return app.extensions["shebao.cities"].get(code)

    return get


@pytest.fixture
def make_resident(app):
    """An insured person of a city, with an account and PASSWORD unless ``account=False``."""
    from shebao.account.models import Account
    from shebao.account.secrets import hash_secret
    from tests import factories

    def make(city: str, seq: int = 1, *, account: bool = True, password: str = PASSWORD, **values):
        with app.app_context():
            person = factories.person(city, seq, **values)
            if account:
                db.session.add(
                    Account(
                        city=city,
                        person=person,
                        origin="card",
                        phone=person.phone,
                        password_hash=hash_secret(password),
                    )
                )
            db.session.commit()
            return SimpleNamespace(
                id=person.id,
                id_number=person.id_number,
                name=person.name,
                phone=person.phone,
                card_number=person.card_number,
                password=password,
            )

    return make


@pytest.fixture
def sms_outbox(app):
    """The messages the outbox SMS gateway has written in this test."""
    return app.extensions["shebao.sms"].messages


def last_code(messages: list[dict], phone: str) -> str:
    text = [m for m in messages if m["phone"] == phone][-1]["text"]
    return re.search(r"(?<![0-9])([0-9]{6})(?![0-9])", text).group(1)
