"""Who an ID number is in one city: the person and their account."""

from __future__ import annotations

import re

from sqlalchemy import select

from ...core.extensions import db
from ...people.idnumber import InvalidIdNumber, normalise_id_number
from ...people.models import Person
from ...tenancy.city import City
from ..models import Account

PHONE = re.compile(r"^1[3-9][0-9]{9}$")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


def find_person(city: City, id_number: str) -> Person | None:
    """The city's insured person with this ID number (None if unknown or malformed)."""
    try:
        number = normalise_id_number(id_number)
    except InvalidIdNumber:
        return None
    return db.session.scalars(
        select(Person).where(Person.city == city.code, Person.id_number == number)
    ).first()


def account_of(city: City, person: Person | None) -> Account | None:
    """The person's account in this city, if they registered one."""
    if person is None:
        return None
    return db.session.scalars(
        select(Account).where(Account.city == city.code, Account.person_id == person.id)
    ).first()


def find_account(city: City, id_number: str) -> Account | None:
    """The account whose user name is this ID number in this city."""
    return account_of(city, find_person(city, id_number))
