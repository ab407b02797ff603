"""``shebao import --kind persons``: insured persons from CSV, all-or-nothing per file.

Format (UTF-8 with or without BOM, comma-separated, header row, any column order):

- required: ``id_number``, ``name``, ``sex`` (M/F or 男/女), ``birth_date`` (YYYY-MM-DD),
  ``category`` (employee, retiree, flexible, resident)
- optional: ``phone`` (11-digit mobile), ``card_number``, ``employer``, ``first_insured``
  (YYYY-MM-DD), and one column per insurance type (pension, medical, unemployment,
  work_injury, maternity, resident_pension, resident_medical) holding the status: active,
  suspended, terminated or not_insured (empty: not insured).

Every row is checked before anything is written; any bad row stops the whole file, and each
problem is reported with its line number. A person already in the city (same ID number) is
updated, never duplicated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import delete, insert, select, update

from ..core.csvfiles import read_csv_rows
from ..core.extensions import db
from .categories import CATEGORIES
from .idnumber import InvalidIdNumber, birth_date_of, normalise_id_number, sex_of
from .insurance import InsuranceType, InsuredStatus
from .models import Person, PersonInsurance

REQUIRED = ("id_number", "name", "sex", "birth_date", "category")
OPTIONAL = ("phone", "card_number", "employer", "first_insured", *(t.value for t in InsuranceType))
SEX_VALUES = {"M": "M", "F": "F", "男": "M", "女": "F"}
PHONE = re.compile(r"^1[3-9][0-9]{9}$")
CARD = re.compile(r"^[A-Z0-9]{6,32}$")
BATCH = 1000
#: Write None as NULL: the ORM otherwise leaves None columns out of the INSERT and splits the
#: batch into one statement per run of rows with the same empty columns.
ALL_COLUMNS = {"render_nulls": True}


class ImportError_(Exception):  # noqa: N801 - not the builtin ImportError
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s)")


@dataclass(frozen=True)
class ImportResult:
    inserted: int
    updated: int


def _date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{field}: {value!r} is not a date in the form YYYY-MM-DD") from None


def parse_person_row(row: dict[str, str]) -> tuple[dict, list[dict]]:
    """One CSV row → (person values, insurance rows); raise ValueError naming the field."""
    try:
        id_number = normalise_id_number(row["id_number"])
    except InvalidIdNumber as error:
        raise ValueError(f"id_number: {error}") from None
    name = row["name"].strip()
    if not 1 <= len(name) <= 64:
        raise ValueError("name: must be 1 to 64 characters")
    sex = SEX_VALUES.get(
        row["sex"].strip().upper() if row["sex"].strip().isascii() else row["sex"].strip()
    )
    if sex is None:
        raise ValueError("sex: must be M, F, 男 or 女")
    if sex != sex_of(id_number):
        raise ValueError("sex: does not match the ID number")
    birth = _date(row["birth_date"].strip(), "birth_date")
    if birth != birth_date_of(id_number):
        raise ValueError("birth_date: does not match the ID number")
    category = row["category"].strip()
    if category not in CATEGORIES:
        raise ValueError(f"category: must be one of {', '.join(CATEGORIES)}")
    phone = (row.get("phone") or "").strip() or None
    if phone and not PHONE.match(phone):
        raise ValueError("phone: must be an 11-digit mobile number")
    card = (row.get("card_number") or "").strip().upper() or None
    if card and not CARD.match(card):
        raise ValueError("card_number: must be 6 to 32 letters or digits")
    employer = (row.get("employer") or "").strip() or None
    if employer and len(employer) > 128:
        raise ValueError("employer: must be at most 128 characters")
    first = (row.get("first_insured") or "").strip()
    first_insured = _date(first, "first_insured") if first else None
    insurances = []
    for kind in InsuranceType:
        status = (row.get(kind.value) or "").strip()
        if not status:
            continue
        if status not in {s.value for s in InsuredStatus}:
            raise ValueError(
                f"{kind.value}: must be one of {', '.join(s.value for s in InsuredStatus)}"
            )
        insurances.append(
            {"insurance_type": kind.value, "status": status, "first_insured": first_insured}
        )
    person = {
        "id_number": id_number,
        "name": name,
        "sex": sex,
        "birth_date": birth,
        "phone": phone,
        "card_number": card,
        "category": category,
        "employer": employer,
    }
    return person, insurances


def read_rows(path: Path) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """The file's rows with their line numbers, or problems with the header."""
    return read_csv_rows(path, REQUIRED, OPTIONAL)


def import_persons(city, path: Path) -> ImportResult:
    rows, problems = read_rows(path)
    parsed: list[tuple[dict, list[dict]]] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        try:
            person, insurances = parse_person_row(row)
        except ValueError as error:
            problems.append(f"{line}: {error}")
            continue
        if person["id_number"] in seen:
            problems.append(f"{line}: id_number: already given on line {seen[person['id_number']]}")
            continue
        seen[person["id_number"]] = line
        parsed.append((person, insurances))
    if problems:
        raise ImportError_(problems)
    if not parsed:
        raise ImportError_(["2: the file holds no rows"])
    return _write(city.code, parsed)


def _write(city: str, parsed: list[tuple[dict, list[dict]]]) -> ImportResult:
    session = db.session
    inserted = updated = 0
    try:
        for start in range(0, len(parsed), BATCH):
            batch = parsed[start : start + BATCH]
            numbers = [person["id_number"] for person, _ in batch]
            existing = dict(
                session.execute(
                    select(Person.id_number, Person.id).where(
                        Person.city == city, Person.id_number.in_(numbers)
                    )
                ).all()
            )
            new = [
                dict(person, city=city)
                for person, _ in batch
                if person["id_number"] not in existing
            ]
            changed = [
                dict(person, id=existing[person["id_number"]])
                for person, _ in batch
                if person["id_number"] in existing
            ]
            ids = dict(existing)
            if new:
                result = session.execute(
                    insert(Person).returning(Person.id_number, Person.id),
                    new,
                    execution_options=ALL_COLUMNS,
                )
                ids.update(dict(result.all()))
            if changed:
                session.execute(update(Person), changed)
                session.execute(
                    delete(PersonInsurance).where(
                        PersonInsurance.person_id.in_([row["id"] for row in changed])
                    )
                )
            insurance_rows = [
                dict(row, city=city, person_id=ids[person["id_number"]])
                for person, insurances in batch
                for row in insurances
            ]
            if insurance_rows:
                session.execute(
                    insert(PersonInsurance), insurance_rows, execution_options=ALL_COLUMNS
                )
            inserted += len(new)
            updated += len(changed)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return ImportResult(inserted=inserted, updated=updated)
