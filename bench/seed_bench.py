"""How fast `shebao seed-demo` loads persons: 2,000 generated people into a fresh SQLite file.

The app is built from the shipped cities with a temporary instance folder and database; the
schema comes from the migrations, as in production. Only ``seed_city`` is timed (not app
start, not the migrations), best of a few rounds, each round on emptied tables.
"""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path

PERSONS = 2000
SEED = 2026
ROUNDS = 5
CITY = "binzhou"


def _empty_person_tables(db) -> None:
    from shebao.people.models import Person, PersonInsurance

    with db.engine.begin() as connection:
        connection.execute(PersonInsurance.__table__.delete())
        connection.execute(Person.__table__.delete())


def seed_persons_per_second(persons: int = PERSONS, rounds: int = ROUNDS) -> float:
    from flask_migrate import upgrade

    from shebao import create_app
    from shebao.core.extensions import db
    from shebao.core.settings import PROJECT_ROOT, Settings
    from shebao.seeding import seed_city

    with tempfile.TemporaryDirectory(prefix="shebao-bench-") as tmp:
        tmp_path = Path(tmp)
        settings = Settings.from_env(
            {},
            cities_dir=PROJECT_ROOT / "cities",
            instance_dir=tmp_path / "instance",
            database_url=f"sqlite:///{tmp_path / 'bench.sqlite3'}",
        )
        app = create_app(settings)
        with app.app_context():
            upgrade()
            logging.getLogger("alembic").setLevel(logging.WARNING)
            city = app.extensions["shebao.cities"].get(CITY)
            best = float("inf")
            for _ in range(rounds):
                _empty_person_tables(db)
                started = time.perf_counter()
                count = seed_city(city, persons=persons, seed=SEED)
                best = min(best, time.perf_counter() - started)
            db.session.remove()
            db.engine.dispose()
    return count / best


def main() -> dict[str, tuple[float, str]]:
    return {"seed_city (2,000 persons, SQLite)": (round(seed_persons_per_second()), "persons/s")}


if __name__ == "__main__":
    for name, (value, unit) in main().items():
        print(f"{name}: {value} {unit}")
