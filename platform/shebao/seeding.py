"""``shebao seed-demo``: a city's demo people, then each enabled module's demo records.

One transaction per city: the people (``people.demo``), then the seeder every enabled module
declares, in the registry's order (accounts first), then one commit.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from sqlalchemy import func, select

from .core.extensions import db
from .people.demo import seed_people
from .people.models import Person
from .tenancy.city import City


def database_is_empty() -> bool:
    return db.session.scalar(select(func.count()).select_from(Person)) == 0


def seed_city(
    city: City, persons: int, seed: int, progress: Callable[[int], None] = lambda n: None
) -> int:
    """Replace the city's demo data with a fresh deterministic set; return how many people."""
    try:
        people = seed_people(city, persons, seed, progress)
        for name, module in city.catalogue.items():
            seeder = module.parts.seeder
            if seeder is not None and city.module_enabled(name):
                seeder(city, people, random.Random(f"{seed}:{city.code}:{name}"))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return len(people)
