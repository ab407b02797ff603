"""The account module's demo data: accounts for the fixed demo people (README: "Demo accounts")."""

from __future__ import annotations

import random

from sqlalchemy import insert, select

from ..core.extensions import db
from ..core.time import utcnow
from ..people.demo import DEMO_PASSWORD, DEMO_PEOPLE, demo_id_number
from ..people.models import Person
from ..tenancy.city import City
from .models import Account
from .secrets import hash_secret


def seed_demo_accounts(city: City, people: list[dict], rng: random.Random) -> None:
    """Accounts for the fixed demo people that have one in this city (one hash for all)."""
    demo_people = [person for person in DEMO_PEOPLE if person.has_account(city)]
    if not demo_people:
        return
    password_hash = hash_secret(DEMO_PASSWORD)
    numbers = [demo_id_number(city, person) for person in demo_people]
    found = db.session.execute(
        select(Person.id, Person.phone).where(
            Person.city == city.code, Person.id_number.in_(numbers)
        )
    ).all()
    db.session.execute(
        insert(Account),
        [
            {
                "city": city.code,
                "person_id": person_id,
                "origin": "demo",
                "phone": phone,
                "password_hash": password_hash,
                "must_change_password": False,
                "session_epoch": 0,
                "created_at": utcnow(),
            }
            for person_id, phone in found
        ],
    )
