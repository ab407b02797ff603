"""What every import kind about people shares: the ID number columns, the person look-up.

Kinds that refer to a person name them by resident ID number in a ``PERSON`` column: the
engine looks every number up within the city (a person of another city is not found) and
hands the write step the person's id as ``person_id``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from sqlalchemy import select

from ..core.batch import lookup
from ..core.importing import Cell, Choice, Pattern, Reference
from .idnumber import InvalidIdNumber, birth_date_of, normalise_id_number, sex_of
from .models import Person


@dataclass(frozen=True)
class IdNumber(Cell):
    """A resident ID number: 18 characters, GB 11643 check digit; a final ``x`` is upper-cased."""

    kind: ClassVar[str] = "ID number"

    def parse(self, text: str) -> str:
        try:
            return normalise_id_number(text)
        except InvalidIdNumber as error:
            raise ValueError(str(error)) from None

    def rule(self) -> str:
        return "18 characters, the last a valid check digit (0–9 or X)"


def person_ids(city: str, id_numbers: Collection[str]) -> dict[str, int]:
    """The id of each person of ``city`` among ``id_numbers``, by ID number."""
    query = select(Person.id_number, Person.id).where(Person.city == city)
    return lookup(query, Person.id_number, id_numbers)


@dataclass(frozen=True)
class PersonIdNumber(IdNumber, Reference):
    """The ID number of an insured person already in the city."""

    target: ClassVar[str] = "person_id"
    noun: ClassVar[str] = "person"
    missing: ClassVar[str] = "no insured person with this ID number in {city}"
    described: ClassVar[str] = "an insured person already in the city (import persons first)"

    def lookup(self, city: str, values: Collection[str]) -> dict[str, int]:
        return person_ids(city, values)


#: The ID number of a person a row describes (persons), and of one it refers to.
ID_NUMBER = IdNumber()
PERSON = PersonIdNumber()
SEX = Choice({"M": ("男",), "F": ("女",)}, message="must be M, F, 男 or 女")
#: A social security card number (the card module's cards, the person's own number).
CARD_NUMBER = Pattern(r"[A-Z0-9]{6,32}", "must be 6 to 32 letters or digits", upper=True)


def id_number_mismatches(id_number: str, sex: str, birth_date: date) -> list[tuple[str, str]]:
    """``(column, reason)`` for the sex and birth date that the ID number contradicts."""
    mismatches = []
    if sex != sex_of(id_number):
        mismatches.append(("sex", "does not match the ID number"))
    if birth_date != birth_date_of(id_number):
        mismatches.append(("birth_date", "does not match the ID number"))
    return mismatches
