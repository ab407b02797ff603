"""``shebao import --kind business_cases``: business cases and their steps from CSV.

Format (UTF-8 with or without BOM, comma-separated, header row, any column order), one row
per step, the steps of a case in the order they are handled:

- required: ``serial`` (业务流水号, 10 to 20 digits), ``id_number``, ``kind``, ``submitted_at``,
  ``status``, ``step``
- optional: ``step_office``, ``step_completed_at`` (empty while the step is not done)

``kind`` is pension_transfer, retirement_approval, card_replacement, unemployment_claim or
medical_remote_filing (or 养老保险关系转移, 退休审批, 社保卡补换, 失业金申领, 医保异地备案);
``status`` is in_progress, completed or returned (办理中, 已办结, 已退回); ``step`` is accept,
review, recheck, approve, make_card or complete (受理, 审核, 复核, 审批, 制卡, 办结). Times are
``YYYY-MM-DD HH:MM[:SS]`` in Beijing time (or ISO 8601 with an offset).

Every row is checked before anything is written; any problem stops the whole file, each
reported with its line number. A serial already in the city is updated (its steps replaced),
never duplicated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete, insert, select, update

from ...core.csvfiles import read_csv_rows
from ...core.extensions import db
from ...core.time import LOCAL_ZONE as LOCAL
from ...people.idnumber import InvalidIdNumber, normalise_id_number
from ...people.importer import ImportError_, ImportResult
from ...people.models import Person
from .models import BusinessCase, BusinessStep
from .services import SERIAL
from .vocabulary import ALIASES, CaseKind, CaseStatus, StepName

REQUIRED = ("serial", "id_number", "kind", "submitted_at", "status", "step")
OPTIONAL = ("step_office", "step_completed_at")
CASE_FIELDS = ("id_number", "kind", "submitted_at", "status")
MAX_STEPS = 20
BATCH = 1000
ALL_COLUMNS = {"render_nulls": True}


@dataclass
class _Case:
    line: int
    serial: str
    id_number: str
    kind: str
    submitted_at: datetime
    status: str
    steps: list[tuple[int, dict]] = field(default_factory=list)


def read_csv(path: Path, required: tuple[str, ...], optional: tuple[str, ...]):
    """``([(line, row)], [(line, problem)])``: the shared reader's result, problems split."""
    rows, problems = read_csv_rows(path, required, optional)
    split = [problem.split(": ", 1) for problem in problems]
    return rows, [(int(line), reason) for line, reason in split]


def _code(value: str, name: str, allowed: type) -> str:
    code = ALIASES.get(value, value)
    if code not in {member.value for member in allowed}:
        raise ValueError(f"{name}: must be one of {', '.join(member.value for member in allowed)}")
    return code


def _time(value: str, name: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name}: {value!r} is not a time in the form YYYY-MM-DD HH:MM") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL)
    moment = moment.astimezone(UTC)
    if moment > datetime.now(UTC):
        raise ValueError(f"{name}: {value!r} is in the future")
    return moment


def parse_row(row: dict[str, str]) -> tuple[dict, dict]:
    """One CSV row → (case values, step values); raise ValueError naming the field."""
    for name in REQUIRED:
        if not row[name]:
            raise ValueError(f"{name}: is required")
    serial = row["serial"]
    if not SERIAL.match(serial):
        raise ValueError("serial: must be 10 to 20 digits")
    try:
        id_number = normalise_id_number(row["id_number"])
    except InvalidIdNumber as error:
        raise ValueError(f"id_number: {error}") from None
    case = {
        "serial": serial,
        "id_number": id_number,
        "kind": _code(row["kind"], "kind", CaseKind),
        "submitted_at": _time(row["submitted_at"], "submitted_at"),
        "status": _code(row["status"], "status", CaseStatus),
    }
    office = row.get("step_office") or None
    if office and len(office) > 64:
        raise ValueError("step_office: must be at most 64 characters")
    completed = row.get("step_completed_at") or ""
    step = {
        "name": _code(row["step"], "step", StepName),
        "office": office,
        "completed_at": _time(completed, "step_completed_at") if completed else None,
    }
    return case, step


def _check_steps(case: _Case) -> list[tuple[int, str]]:
    problems = []
    if len(case.steps) > MAX_STEPS:
        problems.append((case.steps[MAX_STEPS][0], f"serial: a case has at most {MAX_STEPS} steps"))
    waiting = False
    for line, step in case.steps:
        if step["completed_at"] is None:
            waiting = True
        elif waiting:
            problems.append(
                (line, "step_completed_at: an earlier step of this serial is not completed")
            )
        elif step["completed_at"] < case.submitted_at:
            problems.append((line, "step_completed_at: is before submitted_at"))
    last = case.steps[-1][0]
    if case.status == CaseStatus.COMPLETED and waiting:
        problems.append(
            (last, "status: completed, but a step of this serial has no step_completed_at")
        )
    if case.status == CaseStatus.IN_PROGRESS and not waiting:
        problems.append((last, "status: in_progress, but every step of this serial is completed"))
    return problems


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


def import_business_cases(city, path: Path) -> ImportResult:
    rows, problems = read_csv(Path(path), REQUIRED, OPTIONAL)
    cases: dict[str, _Case] = {}
    for line, row in rows:
        try:
            values, step = parse_row(row)
        except ValueError as error:
            problems.append((line, str(error)))
            continue
        case = cases.get(values["serial"])
        if case is None:
            case = cases[values["serial"]] = _Case(line=line, **values)
        else:
            problems += [
                (line, f"{name}: differs from line {case.line} of the same serial")
                for name in CASE_FIELDS
                if values[name] != getattr(case, name)
            ]
        case.steps.append((line, step))
    for case in cases.values():
        problems += _check_steps(case)
    persons = _persons(city.code, sorted({case.id_number for case in cases.values()}))
    problems += [
        (case.line, f"id_number: no insured person with this ID number in {city.code}")
        for case in cases.values()
        if case.id_number not in persons
    ]
    if problems:
        raise ImportError_(
            [f"{line}: {message}" for line, message in sorted(problems, key=lambda p: p[0])]
        )
    if not cases:
        raise ImportError_(["2: the file holds no rows"])
    return _write(city.code, list(cases.values()), persons)


def _write(city: str, cases: list[_Case], persons: dict[str, int]) -> ImportResult:
    session = db.session
    inserted = updated = 0
    try:
        for start in range(0, len(cases), BATCH):
            batch = cases[start : start + BATCH]
            existing = dict(
                session.execute(
                    select(BusinessCase.serial, BusinessCase.id).where(
                        BusinessCase.city == city,
                        BusinessCase.serial.in_([case.serial for case in batch]),
                    )
                ).all()
            )
            values = {
                case.serial: {
                    "serial": case.serial,
                    "person_id": persons[case.id_number],
                    "kind": case.kind,
                    "submitted_at": case.submitted_at,
                    "status": case.status,
                }
                for case in batch
            }
            new = [
                dict(values[case.serial], city=city)
                for case in batch
                if case.serial not in existing
            ]
            changed = [
                dict(values[case.serial], id=existing[case.serial])
                for case in batch
                if case.serial in existing
            ]
            ids = dict(existing)
            if new:
                ids.update(
                    session.execute(
                        insert(BusinessCase).returning(BusinessCase.serial, BusinessCase.id),
                        new,
                        execution_options=ALL_COLUMNS,
                    ).all()
                )
            if changed:
                session.execute(update(BusinessCase), changed)
                session.execute(
                    delete(BusinessStep).where(
                        BusinessStep.case_id.in_([row["id"] for row in changed])
                    )
                )
            session.execute(
                insert(BusinessStep),
                [
                    dict(step, city=city, case_id=ids[case.serial], position=position)
                    for case in batch
                    for position, (_line, step) in enumerate(case.steps, start=1)
                ],
                execution_options=ALL_COLUMNS,
            )
            inserted += len(new)
            updated += len(changed)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return ImportResult(inserted=inserted, updated=updated)
