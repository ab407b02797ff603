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
    return person_and_account(city, id_number)[0]


def find_account(city: City, id_number: str) -> Account | None:
    """The account whose user name is this ID number in this city."""
    return person_and_account(city, id_number)[1]


def person_and_account(city: City, id_number: str) -> tuple[Person | None, Account | None]:
    """The person with this ID number and their account, in one query whatever the outcome.

    For checks that must cost the same whether or not the person or the account exists: a
    malformed number is looked up as typed (it finds nothing) rather than skipping the query.
    """
    try:
        number = normalise_id_number(id_number)
    except InvalidIdNumber:
        number = (id_number or "").strip().upper()[:18]
    row = db.session.execute(
        select(Person, Account)
        .outerjoin(Account, (Account.person_id == Person.id) & (Account.city == city.code))
        .where(Person.city == city.code, Person.id_number == number)
    ).first()
    return (row[0], row[1]) if row is not None else (None, None)
