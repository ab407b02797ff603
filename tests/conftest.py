"""Fixtures: one app for the shipped cities plus the fixture cities, a client per city host.

The database is SQLite in a temporary folder, or the PostgreSQL database named by
``SHEBAO_TEST_DATABASE_URL`` (its public schema is dropped and rebuilt). Either way the schema
comes from the Alembic migrations, so every run also proves that the migrations work there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from shebao import create_app
from shebao.extensions import db
from shebao.settings import PROJECT_ROOT, Settings

TESTS_DIR = Path(__file__).resolve().parent
FIXTURE_CITIES = TESTS_DIR / "fixtures" / "cities"
SHIPPED_CITIES = PROJECT_ROOT / "cities"
DATABASE_URL = os.environ.get("SHEBAO_TEST_DATABASE_URL", "").strip()


def make_cities_dir(target: Path, *sources: Path) -> Path:
    """A cities folder holding links to every city under ``sources``."""
    target.mkdir(parents=True, exist_ok=True)
    for source in sources:
        for city in sorted(source.iterdir()):
            if (city / "city.yaml").is_file():
                (target / city.name).symlink_to(city, target_is_directory=True)
    return target


def make_settings(tmp: Path, cities_dir: Path, database_url: str | None = None, **overrides) -> Settings:
    return Settings.from_env(
        {},
        cities_dir=cities_dir,
        instance_dir=tmp / "instance",
        database_url=database_url or DATABASE_URL or f"sqlite:///{tmp / 'test.sqlite3'}",
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


@pytest.fixture(scope="session")
def settings(tmp_path_factory, cities_dir) -> Settings:
    return make_settings(tmp_path_factory.mktemp("shebao"), cities_dir)


@pytest.fixture(scope="session")
def app(settings):
    app = create_app(settings, {"TESTING": True})
    reset_database(app)
    return app


@pytest.fixture(autouse=True)
def _clean_tables(request):
    """Every test starts with empty tables (only for tests that use the app)."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
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
