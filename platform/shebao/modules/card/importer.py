"""``shebao import --kind cards``: each person's current card from CSV, all-or-nothing per file.

Format (UTF-8 with or without BOM, comma-separated, header row, any column order):

- required: ``id_number`` (a person already in the city), ``card_number`` (6 to 32 letters or
  digits), ``bank`` (the issuing bank's name), ``status`` (applied, in_production,
  awaiting_collection, normal, reported_lost, cancelled, or
  已申领, 制卡中, 待领卡, 正常, 挂失, 注销)
- optional: ``issue_date`` and ``valid_until`` (YYYY-MM-DD; an issue date is required for a
  card that is normal or reported lost)

Every row is checked before anything is written; any bad row stops the whole file, and each
problem is reported with its line number. A person's card is replaced by a re-import, never
duplicated, and the person's card number (used to register by card) follows it.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from sqlalchemy import insert, select, update

from ...core.csvfiles import read_csv_rows
from ...core.extensions import db
from ...core.time import utcnow
from ...people.idnumber import InvalidIdNumber, normalise_id_number
from ...people.importer import ImportError_, ImportResult
from ...people.models import Person
from . import vocabulary
from .models import Card

REQUIRED = ("id_number", "card_number", "bank", "status")
OPTIONAL = ("issue_date", "valid_until")
CARD_NUMBER = re.compile(r"^[A-Z0-9]{6,32}$")
ISSUED = (vocabulary.NORMAL, vocabulary.REPORTED_LOST)
BATCH = 1000


def read_csv(path: Path, required: tuple[str, ...], optional: tuple[str, ...]):
    return read_csv_rows(path, required, optional)


def _date(value: str, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{field}: {value!r} is not a date in the form YYYY-MM-DD") from None


def parse_card_row(row: dict[str, str]) -> dict:
    """One CSV row → card values keyed by ``id_number``; raise ValueError naming the field."""
    try:
        id_number = normalise_id_number(row["id_number"])
    except InvalidIdNumber as error:
        raise ValueError(f"id_number: {error}") from None
    card_number = row["card_number"].upper()
    if not CARD_NUMBER.match(card_number):
        raise ValueError("card_number: must be 6 to 32 letters or digits")
    bank = row["bank"]
    if not 1 <= len(bank) <= 64:
        raise ValueError("bank: must be 1 to 64 characters")
    status = row["status"]
    status = vocabulary.STATUS_NAMES_ZH.get(status, status.lower())
    if status not in vocabulary.CARD_STATUSES:
        raise ValueError(f"status: must be one of {', '.join(vocabulary.CARD_STATUSES)}")
    issued = _date(row.get("issue_date", ""), "issue_date")
    valid_until = _date(row.get("valid_until", ""), "valid_until")
    if status in ISSUED and issued is None:
        raise ValueError(f"issue_date: required for a card with status {status}")
    if issued and valid_until and valid_until <= issued:
        raise ValueError("valid_until: must be after issue_date")
    return {
        "id_number": id_number,
        "card_number": card_number,
        "bank": bank,
        "status": status,
        "issued_on": issued,
        "valid_until": valid_until,
    }


def import_cards(city, path: Path) -> ImportResult:
    rows, problems = read_csv(path, REQUIRED, OPTIONAL)
    parsed: list[tuple[int, dict]] = []
    numbers: dict[str, int] = {}
    cards: dict[str, int] = {}
    for line, row in rows:
        try:
            card = parse_card_row(row)
        except ValueError as error:
            problems.append(f"{line}: {error}")
            continue
        if card["id_number"] in numbers:
            problems.append(
                f"{line}: id_number: already given on line {numbers[card['id_number']]}"
            )
            continue
        if card["card_number"] in cards:
            problems.append(
                f"{line}: card_number: already given on line {cards[card['card_number']]}"
            )
            continue
        numbers[card["id_number"]] = cards[card["card_number"]] = line
        parsed.append((line, card))
    persons = _persons(city.code, [card["id_number"] for _, card in parsed])
    holders = _card_holders(city.code, [card["card_number"] for _, card in parsed])
    for line, card in parsed:
        person_id = persons.get(card["id_number"])
        if person_id is None:
            problems.append(
                f"{line}: id_number: no insured person with this ID number in {city.code}"
            )
        elif holders.get(card["card_number"], person_id) != person_id:
            problems.append(
                f"{line}: card_number: already the card of another person in {city.code}"
            )
    if problems:
        raise ImportError_(sorted(problems, key=lambda problem: int(problem.split(":", 1)[0])))
    if not parsed:
        raise ImportError_(["2: the file holds no rows"])
    return _write(
        city.code, [dict(card, person_id=persons[card["id_number"]]) for _, card in parsed]
    )


def _persons(city: str, numbers: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(numbers), BATCH):
        found.update(
            db.session.execute(
                select(Person.id_number, Person.id).where(
                    Person.city == city, Person.id_number.in_(numbers[start : start + BATCH])
                )
            ).all()
        )
    return found


def _card_holders(city: str, card_numbers: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(card_numbers), BATCH):
        found.update(
            db.session.execute(
                select(Card.card_number, Card.person_id).where(
                    Card.city == city, Card.card_number.in_(card_numbers[start : start + BATCH])
                )
            ).all()
        )
    return found


def _write(city: str, cards: list[dict]) -> ImportResult:
    session = db.session
    inserted = updated = 0
    now = utcnow()
    try:
        for start in range(0, len(cards), BATCH):
            batch = cards[start : start + BATCH]
            existing = dict(
                session.execute(
                    select(Card.person_id, Card.id).where(
                        Card.city == city, Card.person_id.in_([card["person_id"] for card in batch])
                    )
                ).all()
            )
            values = [
                {
                    key: card[key]
                    for key in (
                        "person_id",
                        "card_number",
                        "bank",
                        "status",
                        "issued_on",
                        "valid_until",
                    )
                }
                | {"updated_at": now}
                for card in batch
            ]
            new = [dict(row, city=city) for row in values if row["person_id"] not in existing]
            changed = [
                dict(row, id=existing[row["person_id"]])
                for row in values
                if row["person_id"] in existing
            ]
            if new:
                session.execute(insert(Card), new, execution_options={"render_nulls": True})
            if changed:
                session.execute(update(Card), changed)
            session.execute(
                update(Person),
                [{"id": card["person_id"], "card_number": card["card_number"]} for card in batch],
            )
            inserted += len(new)
            updated += len(changed)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return ImportResult(inserted=inserted, updated=updated)
