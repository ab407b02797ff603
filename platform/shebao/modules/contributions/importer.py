"""``shebao import --kind contributions``: contribution records from CSV, all-or-nothing.

Format (UTF-8 with or without BOM, comma-separated, header row, any column order), every
column required:

- ``id_number``: the person's resident ID number (the person must already be in the city:
  import persons first);
- ``insurance_type``: pension, medical, unemployment, work_injury, maternity,
  resident_pension or resident_medical;
- ``period``: the month, ``YYYY-MM``;
- ``base``, ``individual``, ``employer``: amounts in yuan, at most two decimals, not negative
  (for resident insurances: the amount paid as base and individual, the subsidy as employer);
- ``status``: paid, arrears or refunded;
- ``payer``: the employer's name, or 个人缴费 when the person paid.

Every row is checked before anything is written; any bad row stops the whole file, and each
problem is reported with its line number. A row for a (person, insurance type, month) already
on record replaces that record, never duplicates it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import insert, select, tuple_, update

from ...core.csvfiles import read_csv_rows
from ...core.extensions import db
from ...people.idnumber import InvalidIdNumber, normalise_id_number
from ...people.importer import ImportError_, ImportResult
from ...people.insurance import InsuranceType
from ...people.models import Person
from .models import Contribution, ContributionStatus

COLUMNS = (
    "id_number",
    "insurance_type",
    "period",
    "base",
    "individual",
    "employer",
    "status",
    "payer",
)
PERIOD = re.compile(r"^([0-9]{4})-([0-9]{2})$")
AMOUNT = re.compile(r"^[0-9]{1,10}(\.[0-9]{1,2})?$")
BATCH = 1000


@dataclass(frozen=True)
class _Row:
    line: int
    id_number: str
    values: dict


def _period(value: str) -> date:
    match = PERIOD.match(value)
    if not match or not 1 <= int(match.group(2)) <= 12 or not 1990 <= int(match.group(1)) <= 2100:
        raise ValueError(f"period: {value!r} is not a month in the form YYYY-MM, such as 2024-05")
    return date(int(match.group(1)), int(match.group(2)), 1)


def _amount(value: str, field: str) -> Decimal:
    if not AMOUNT.match(value):
        raise ValueError(f"{field}: {value!r} is not an amount in yuan such as 3300 or 264.50")
    try:
        return Decimal(value).quantize(Decimal("0.01"))
    except InvalidOperation:  # pragma: no cover - the pattern already excludes it
        raise ValueError(f"{field}: {value!r} is not an amount") from None


def parse_contribution_row(row: dict[str, str]) -> tuple[str, dict]:
    """One CSV row → (ID number, column values); raise ValueError naming the field."""
    try:
        id_number = normalise_id_number(row["id_number"])
    except InvalidIdNumber as error:
        raise ValueError(f"id_number: {error}") from None
    kind = row["insurance_type"].strip()
    if kind not in {t.value for t in InsuranceType}:
        raise ValueError(
            f"insurance_type: must be one of {', '.join(t.value for t in InsuranceType)}"
        )
    period = _period(row["period"].strip())
    amounts = {
        field: _amount(row[field].strip(), field) for field in ("base", "individual", "employer")
    }
    status = row["status"].strip()
    if status not in {s.value for s in ContributionStatus}:
        raise ValueError(f"status: must be one of {', '.join(s.value for s in ContributionStatus)}")
    payer = row["payer"].strip()
    if not 1 <= len(payer) <= 128:
        raise ValueError("payer: must be 1 to 128 characters (the employer, or 个人缴费)")
    return id_number, {
        "insurance_type": kind,
        "period": period,
        **amounts,
        "status": status,
        "payer": payer,
    }


def _read(path: Path) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    return read_csv_rows(path, COLUMNS)


def import_contributions(city, path: Path) -> ImportResult:
    rows, problems = _read(path)
    parsed: list[_Row] = []
    seen: dict[tuple, int] = {}
    for line, raw in rows:
        try:
            id_number, values = parse_contribution_row(raw)
        except ValueError as error:
            problems.append(f"{line}: {error}")
            continue
        key = (id_number, values["insurance_type"], values["period"])
        if key in seen:
            problems.append(
                f"{line}: the same person, insurance_type and period as line {seen[key]}"
            )
            continue
        seen[key] = line
        parsed.append(_Row(line, id_number, values))
    persons = _person_ids(city.code, {row.id_number for row in parsed})
    problems += [
        f"{row.line}: id_number: no insured person with this ID number in {city.code} "
        "(import the persons first)"
        for row in parsed
        if row.id_number not in persons
    ]
    if problems:
        raise ImportError_(sorted(problems, key=lambda problem: int(problem.split(":", 1)[0])))
    if not parsed:
        raise ImportError_(["2: the file holds no rows"])
    return _write(city.code, parsed, persons)


def _person_ids(city: str, numbers: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    ordered = sorted(numbers)
    for start in range(0, len(ordered), BATCH):
        found.update(
            db.session.execute(
                select(Person.id_number, Person.id).where(
                    Person.city == city, Person.id_number.in_(ordered[start : start + BATCH])
                )
            ).all()
        )
    return found


def _write(city: str, parsed: list[_Row], persons: dict[str, int]) -> ImportResult:
    session = db.session
    inserted = updated = 0
    try:
        for start in range(0, len(parsed), BATCH):
            batch = [
                dict(row.values, city=city, person_id=persons[row.id_number])
                for row in parsed[start : start + BATCH]
            ]
            existing = {
                (person_id, kind, period): row_id
                for row_id, person_id, kind, period in session.execute(
                    select(
                        Contribution.id,
                        Contribution.person_id,
                        Contribution.insurance_type,
                        Contribution.period,
                    ).where(
                        Contribution.city == city,
                        tuple_(
                            Contribution.person_id, Contribution.insurance_type, Contribution.period
                        ).in_(
                            [
                                (row["person_id"], row["insurance_type"], row["period"])
                                for row in batch
                            ]
                        ),
                    )
                )
            }
            new, changed = [], []
            for row in batch:
                row_id = existing.get((row["person_id"], row["insurance_type"], row["period"]))
                if row_id is None:
                    new.append(row)
                else:
                    changed.append(dict(row, id=row_id))
            if new:
                session.execute(insert(Contribution.__table__), new)
            if changed:
                session.execute(update(Contribution), changed)
            inserted += len(new)
            updated += len(changed)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return ImportResult(inserted=inserted, updated=updated)
