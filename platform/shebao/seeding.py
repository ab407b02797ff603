"""``shebao seed-demo``: a city's demo people, then each enabled module's demo records.

One transaction per city: the people (``people.demo``), then the seeder every enabled module
declares, in the registry's order (accounts first), then one commit.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from sqlalchemy import select

from .core.extensions import db
from .core.transactions import unit_of_work
from .people.demo import seed_people
from .people.models import Person
from .tenancy.city import City


def database_is_empty() -> bool:
    return db.session.scalar(select(Person.id).limit(1)) is None


def seed_city(
    city: City, persons: int, seed: int, progress: Callable[[int], None] = lambda n: None
) -> int:
    """Replace the city's demo data with a fresh deterministic set; return how many people."""
    with unit_of_work():
        people = seed_people(city, persons, seed, progress)
        for name, module in city.catalogue.items():
            seeder = module.parts.seeder
            if seeder is not None and city.module_enabled(name):
                seeder(city, people, random.Random(f"{seed}:{city.code}:{name}"))
    return len(people)
