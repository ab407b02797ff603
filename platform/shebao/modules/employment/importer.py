"""``shebao import --kind job_postings`` and ``--kind job_seekers``: CSV, all-or-nothing per file.

Both formats: UTF-8 (with or without BOM), comma-separated, a header row, any column order.
``reference`` is the row's key within the city: a row whose reference is already there
updates it, a new reference adds a row. Occupations and education levels may be given as the
code or the Chinese name (``manufacturing`` or ``生产制造``, ``bachelor`` or ``本科``).

- job_postings — required: reference, employer, title, occupation, district, education,
  salary_min, salary_max (monthly, yuan), headcount, contact_phone, published_on,
  valid_until (YYYY-MM-DD); optional: description.
- job_seekers — required: reference, name, sex (M/F or 男/女), birth_year, desired_occupation,
  district, education, expected_salary (monthly, yuan), phone (11-digit mobile),
  registered_on (YYYY-MM-DD).

Every row is checked before anything is written; any problem stops the whole file, and each
is reported with its line number.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import insert, select, update

from ...core.csvfiles import read_csv_rows
from ...core.extensions import db
from ...core.time import local_today, utcnow
from ...people.importer import ImportError_, ImportResult
from .models import JobPosting, JobSeeker
from .services import MAX_SALARY, round_fen
from .vocabulary import EDUCATION_LEVELS, OCCUPATIONS, SEEKER_EDUCATION_LEVELS, code_of

BATCH = 1000
ALL_COLUMNS = {"render_nulls": True}
REFERENCE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
PHONE = re.compile(r"^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$")
SEXES = {"M": "M", "F": "F", "男": "M", "女": "F"}

POSTING_REQUIRED = (
    "reference",
    "employer",
    "title",
    "occupation",
    "district",
    "education",
    "salary_min",
    "salary_max",
    "headcount",
    "contact_phone",
    "published_on",
    "valid_until",
)
POSTING_OPTIONAL = ("description",)
SEEKER_REQUIRED = (
    "reference",
    "name",
    "sex",
    "birth_year",
    "desired_occupation",
    "district",
    "education",
    "expected_salary",
    "phone",
    "registered_on",
)


def _text(row: dict[str, str], field: str, limit: int, required: bool = True) -> str:
    value = (row.get(field) or "").strip()
    if required and not value:
        raise ValueError(f"{field}: must not be empty")
    if len(value) > limit:
        raise ValueError(f"{field}: must be at most {limit} characters")
    return value


def _date(row: dict[str, str], field: str) -> date:
    value = row[field].strip()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{field}: {value!r} is not a date in the form YYYY-MM-DD") from None


def _amount(row: dict[str, str], field: str) -> Decimal:
    value = row[field].strip().replace(",", "")
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{field}: {value!r} is not an amount in yuan") from None
    if not amount.is_finite() or amount < 0 or amount > MAX_SALARY:
        raise ValueError(f"{field}: must be an amount from 0 to {MAX_SALARY} yuan")
    return round_fen(amount)


def _whole(row: dict[str, str], field: str, low: int, high: int) -> int:
    value = row[field].strip()
    if not value.isascii() or not value.isdigit() or not low <= int(value) <= high:
        raise ValueError(f"{field}: must be a whole number from {low} to {high}")
    return int(value)


def _term(row: dict[str, str], field: str, terms) -> str:
    code = code_of(terms, row[field])
    if code is None:
        names = ", ".join(f"{term.code} ({term.chinese})" for term in terms)
        raise ValueError(f"{field}: must be one of {names}")
    return code


def _reference(row: dict[str, str]) -> str:
    value = row["reference"].strip()
    if not REFERENCE.match(value):
        raise ValueError("reference: must be 1 to 32 letters, digits, - or _")
    return value


def parse_posting(row: dict[str, str]) -> dict:
    values = {
        "reference": _reference(row),
        "employer": _text(row, "employer", 128),
        "title": _text(row, "title", 64),
        "occupation": _term(row, "occupation", OCCUPATIONS),
        "district": _text(row, "district", 32),
        "education": _term(row, "education", EDUCATION_LEVELS),
        "salary_min": _amount(row, "salary_min"),
        "salary_max": _amount(row, "salary_max"),
        "headcount": _whole(row, "headcount", 1, 10000),
        "description": _text(row, "description", 2000, required=False),
        "contact_phone": row["contact_phone"].strip(),
        "published_on": _date(row, "published_on"),
        "valid_until": _date(row, "valid_until"),
    }
    if values["salary_max"] < values["salary_min"]:
        raise ValueError("salary_max: must not be lower than salary_min")
    if not PHONE.match(values["contact_phone"]):
        raise ValueError(
            "contact_phone: must be an 11-digit mobile number or a landline such as 0543-3161234"
        )
    if values["valid_until"] < values["published_on"]:
        raise ValueError("valid_until: must not be before published_on")
    return values


def parse_seeker(row: dict[str, str]) -> dict:
    sex_text = row["sex"].strip()
    sex = SEXES.get(sex_text.upper() if sex_text.isascii() else sex_text)
    if sex is None:
        raise ValueError("sex: must be M, F, 男 or 女")
    values = {
        "reference": _reference(row),
        "name": _text(row, "name", 64),
        "sex": sex,
        "birth_year": _whole(row, "birth_year", 1930, local_today().year - 14),
        "desired_occupation": _term(row, "desired_occupation", OCCUPATIONS),
        "district": _text(row, "district", 32),
        "education": _term(row, "education", SEEKER_EDUCATION_LEVELS),
        "expected_salary": _amount(row, "expected_salary"),
        "phone": row["phone"].strip(),
        "registered_on": _date(row, "registered_on"),
    }
    if not MOBILE.match(values["phone"]):
        raise ValueError("phone: must be an 11-digit mobile number")
    return values


def read_rows(path: Path, required: tuple[str, ...], optional: tuple[str, ...] = ()):
    return read_csv_rows(path, required, optional)


def _load(
    city, path: Path, model, parse: Callable[[dict[str, str]], dict], required, optional=()
) -> ImportResult:
    rows, problems = read_rows(path, required, optional)
    parsed: list[dict] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        try:
            values = parse(row)
        except ValueError as error:
            problems.append(f"{line}: {error}")
            continue
        if values["reference"] in seen:
            problems.append(f"{line}: reference: already given on line {seen[values['reference']]}")
            continue
        seen[values["reference"]] = line
        parsed.append(values)
    if problems:
        raise ImportError_(problems)
    if not parsed:
        raise ImportError_(["2: the file holds no rows"])
    return _write(city.code, model, parsed)


def _write(city: str, model, parsed: list[dict]) -> ImportResult:
    session = db.session
    inserted = updated = 0
    now = utcnow()
    try:
        for start in range(0, len(parsed), BATCH):
            batch = parsed[start : start + BATCH]
            existing = dict(
                session.execute(
                    select(model.reference, model.id).where(
                        model.city == city, model.reference.in_([row["reference"] for row in batch])
                    )
                ).all()
            )
            new = [
                dict(row, city=city, updated_at=now)
                for row in batch
                if row["reference"] not in existing
            ]
            changed = [
                dict(row, id=existing[row["reference"]], updated_at=now)
                for row in batch
                if row["reference"] in existing
            ]
            if new:
                session.execute(insert(model), new, execution_options=ALL_COLUMNS)
            if changed:
                session.execute(update(model), changed)
            inserted += len(new)
            updated += len(changed)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return ImportResult(inserted=inserted, updated=updated)


def import_job_postings(city, path: Path) -> ImportResult:
    return _load(city, path, JobPosting, parse_posting, POSTING_REQUIRED, POSTING_OPTIONAL)


def import_job_seekers(city, path: Path) -> ImportResult:
    return _load(city, path, JobSeeker, parse_seeker, SEEKER_REQUIRED)
