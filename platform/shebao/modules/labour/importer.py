"""``shebao import --kind labour_filings``: labour contract filings from CSV.

Format (UTF-8 with or without BOM, comma-separated, header row, any column order):

- required: ``id_number``, ``employer``, ``credit_code`` (统一社会信用代码, 18 characters with
  its check character), ``contract_type``, ``start_date``, ``filing_date``, ``status``
- optional: ``end_date`` (required for fixed_term and dispatch, empty for open_ended)

``contract_type`` is fixed_term, open_ended, task_based or dispatch (or 固定期限, 无固定期限,
以完成一定工作任务为期限, 劳务派遣); ``status`` is valid, terminated or expired (有效, 已终止,
已到期). Dates are YYYY-MM-DD.

Every row is checked before anything is written; any problem stops the whole file, each
reported with its line number. A filing is identified by person, employer and start date: one
already in the city is updated, never duplicated.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import insert, select, update

from ...core.csvfiles import read_csv_rows
from ...core.extensions import db
from ...people.idnumber import InvalidIdNumber, normalise_id_number
from ...people.importer import ImportError_, ImportResult
from ...people.models import Person
from .credit_code import is_valid_credit_code
from .models import LabourFiling
from .vocabulary import ALIASES, NEEDS_END_DATE, NO_END_DATE, ContractType, FilingStatus

REQUIRED = (
    "id_number",
    "employer",
    "credit_code",
    "contract_type",
    "start_date",
    "filing_date",
    "status",
)
OPTIONAL = ("end_date",)
BATCH = 1000
ALL_COLUMNS = {"render_nulls": True}


def read_csv(path: Path, required: tuple[str, ...], optional: tuple[str, ...]):
    return read_csv_rows(path, required, optional)


def _code(value: str, name: str, allowed: type) -> str:
    code = ALIASES.get(value, value)
    if code not in {member.value for member in allowed}:
        raise ValueError(f"{name}: must be one of {', '.join(member.value for member in allowed)}")
    return code


def _date(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name}: {value!r} is not a date in the form YYYY-MM-DD") from None


def parse_row(row: dict[str, str]) -> dict:
    """One CSV row → the filing's values (with ``id_number``); raise ValueError naming the field."""
    for name in REQUIRED:
        if not row[name]:
            raise ValueError(f"{name}: is required")
    try:
        id_number = normalise_id_number(row["id_number"])
    except InvalidIdNumber as error:
        raise ValueError(f"id_number: {error}") from None
    employer = row["employer"]
    if len(employer) > 128:
        raise ValueError("employer: must be at most 128 characters")
    credit_code = row["credit_code"].upper()
    if not is_valid_credit_code(credit_code):
        raise ValueError(
            "credit_code: must be a unified social credit code "
            "(18 characters, the last a valid check character)"
        )
    contract_type = _code(row["contract_type"], "contract_type", ContractType)
    start = _date(row["start_date"], "start_date")
    end = _date(row["end_date"], "end_date") if row.get("end_date") else None
    if end is None and contract_type in NEEDS_END_DATE:
        raise ValueError(f"end_date: is required for a {contract_type} contract")
    if end is not None and contract_type in NO_END_DATE:
        raise ValueError(f"end_date: must be empty for an {contract_type} contract")
    if end is not None and end < start:
        raise ValueError("end_date: is before start_date")
    return {
        "id_number": id_number,
        "employer": employer,
        "credit_code": credit_code,
        "contract_type": contract_type,
        "start_date": start,
        "end_date": end,
        "filing_date": _date(row["filing_date"], "filing_date"),
        "status": _code(row["status"], "status", FilingStatus),
    }


def import_labour_filings(city, path: Path) -> ImportResult:
    rows, problems = read_csv(Path(path), REQUIRED, OPTIONAL)
    parsed: list[tuple[int, dict]] = []
    seen: dict[tuple, int] = {}
    for line, row in rows:
        try:
            filing = parse_row(row)
        except ValueError as error:
            problems.append((line, str(error)))
            continue
        key = (filing["id_number"], filing["employer"], filing["start_date"])
        if key in seen:
            problems.append(
                (line, f"the same person, employer and start_date are already on line {seen[key]}")
            )
            continue
        seen[key] = line
        parsed.append((line, filing))
    numbers = sorted({filing["id_number"] for _, filing in parsed})
    persons: dict[str, int] = {}
    for start in range(0, len(numbers), BATCH):
        persons.update(
            db.session.execute(
                select(Person.id_number, Person.id).where(
                    Person.city == city.code, Person.id_number.in_(numbers[start : start + BATCH])
                )
            ).all()
        )
    problems += [
        (line, f"id_number: no insured person with this ID number in {city.code}")
        for line, filing in parsed
        if filing["id_number"] not in persons
    ]
    if problems:
        raise ImportError_(
            [f"{line}: {message}" for line, message in sorted(problems, key=lambda p: p[0])]
        )
    if not parsed:
        raise ImportError_(["2: the file holds no rows"])
    rows_out = []
    for _, filing in parsed:
        values = dict(filing, person_id=persons[filing["id_number"]])
        del values["id_number"]
        rows_out.append(values)
    return _write(city.code, rows_out)


def _write(city: str, rows: list[dict]) -> ImportResult:
    session = db.session
    inserted = updated = 0
    try:
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            keys = [(row["person_id"], row["employer"], row["start_date"]) for row in batch]
            existing = {
                (person_id, employer, start_date): filing_id
                for filing_id, person_id, employer, start_date in session.execute(
                    select(
                        LabourFiling.id,
                        LabourFiling.person_id,
                        LabourFiling.employer,
                        LabourFiling.start_date,
                    ).where(
                        LabourFiling.city == city,
                        LabourFiling.person_id.in_(sorted({key[0] for key in keys})),
                    )
                ).all()
            }
            new = [
                dict(row, city=city)
                for row, key in zip(batch, keys, strict=True)
                if key not in existing
            ]
            changed = [
                dict(row, id=existing[key])
                for row, key in zip(batch, keys, strict=True)
                if key in existing
            ]
            if new:
                session.execute(insert(LabourFiling), new, execution_options=ALL_COLUMNS)
            if changed:
                session.execute(update(LabourFiling), changed)
            inserted += len(new)
            updated += len(changed)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return ImportResult(inserted=inserted, updated=updated)
