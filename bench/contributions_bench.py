"""How fast demo contribution history loads: 10,000 generated Binzhou people into SQLite.

Binzhou is the heavier city (all seven insurance types; about 900 monthly rows a person on
average, some 9 million rows in all). Two figures, one round each (a round takes a minute):

- ``seed_city`` for 10,000 persons: what ``shebao seed-demo --city binzhou --persons 10000``
  spends per city, every enabled module's demo data included;
- the contributions seeder alone on the same people, in seconds and rows per second.

The app is built from the shipped cities with a temporary instance folder and database; the
schema comes from the migrations. App start and migrations are not timed.
"""

from __future__ import annotations

import logging
import random
import tempfile
import time
from pathlib import Path

PERSONS = 10_000
SEED = 2026
CITY = "binzhou"


def measure(persons: int = PERSONS) -> dict[str, tuple[float, str]]:
    from flask_migrate import upgrade
    from sqlalchemy import select

    from shebao import create_app
    from shebao.core.extensions import db
    from shebao.core.settings import PROJECT_ROOT, Settings
    from shebao.modules.contributions.models import Contribution
    from shebao.modules.contributions.seed import seed_contributions
    from shebao.people.models import Person
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
            upgrade(revision="heads")
            logging.getLogger("alembic").setLevel(logging.WARNING)
            city = app.extensions["shebao.cities"].get(CITY)

            started = time.perf_counter()
            seed_city(city, persons=persons, seed=SEED)
            whole = time.perf_counter() - started

            columns = (Person.id, Person.birth_date, Person.sex, Person.category, Person.employer)
            people = [
                row._asdict()
                for row in db.session.execute(
                    select(*columns).where(Person.city == CITY).order_by(Person.id)
                )
            ]
            db.session.execute(Contribution.__table__.delete())
            db.session.commit()
            started = time.perf_counter()
            rows = seed_contributions(city, people, random.Random(f"{SEED}:{CITY}:contributions"))
            db.session.commit()
            alone = time.perf_counter() - started
            db.session.remove()
            db.engine.dispose()
    label = f"{persons:,} persons, SQLite"
    return {
        f"seed_city {CITY} ({label})": (round(whole, 1), "s"),
        f"contributions seeder ({label})": (round(alone, 1), "s"),
        f"contributions seeder rows ({label})": (round(rows / alone), "rows/s"),
    }


def main() -> dict[str, tuple[float, str]]:
    return measure()


if __name__ == "__main__":
    for name, (value, unit) in main().items():
        print(f"{name}: {value} {unit}")
