"""``shebao import --kind cards``: each person's current social security card."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated

from pydantic import model_validator
from sqlalchemy import select

from ...core.batch import lookup, update_rows
from ...core.importing import ImportKind, ImportRow, Problem, Record, RowProblem, Upsert
from ...core.importing.columns import Choice, Date, Text
from ...people.importing import CARD_NUMBER, PERSON
from ...people.models import Person
from . import vocabulary
from .models import Card

STATUS = Choice.with_synonyms(vocabulary.CARD_STATUSES, vocabulary.STATUS_NAMES_ZH)
ISSUED = (vocabulary.NORMAL, vocabulary.REPORTED_LOST)


class CardRow(ImportRow):
    """Each person's current card, one row per person. A re-import replaces the person's
    card, and the person's card number (used to register by card) follows it."""

    id_number: Annotated[str, PERSON]
    """The card holder's resident ID number; they must already be in the city."""
    card_number: Annotated[str, CARD_NUMBER]
    """The card's number; no other person of the city may hold it."""
    bank: Annotated[str, Text(64, min_length=1)]
    """The issuing bank's name."""
    status: Annotated[str, STATUS]
    """The card's status (卡状态)."""
    issue_date: Annotated[date, Date()] | None = None
    """Required for a card that is normal or reported lost."""
    valid_until: Annotated[date, Date()] | None = None
    """After the issue date."""

    @model_validator(mode="after")
    def _dates_fit_the_status(self) -> CardRow:
        if self.status in ISSUED and self.issue_date is None:
            raise RowProblem(("issue_date", f"required for a card with status {self.status}"))
        if self.issue_date and self.valid_until and self.valid_until <= self.issue_date:
            raise RowProblem(("valid_until", "must be after issue_date"))
        return self


def card_held_by_another(city: str, records: Sequence[Record]) -> list[Problem]:
    """A card number is one person's: a file may not give it to someone else in the city."""
    holders = lookup(
        select(Card.card_number, Card.person_id).where(Card.city == city),
        Card.card_number,
        {record.row.card_number for record in records},
    )
    return [
        Problem(record.line, "card_number", f"already the card of another person in {city}")
        for record in records
        if (person_id := record.refs.get("person_id")) is not None
        and holders.get(record.row.card_number, person_id) != person_id
    ]


def card_values(record: Record) -> dict:
    return record.values(exclude={"issue_date"}) | {"issued_on": record.row.issue_date}


def card_numbers_follow(city: str, cards: list[dict]) -> None:
    """A person's card number (used to register by card) is their current card's."""
    update_rows(
        Person, [{"id": card["person_id"], "card_number": card["card_number"]} for card in cards]
    )


CARDS = ImportKind(
    name="cards",
    row=CardRow,
    key=("id_number",),
    unique=("card_number",),
    check=card_held_by_another,
    write=Upsert(Card, key=("person_id",), values=card_values, then=card_numbers_follow),
)
