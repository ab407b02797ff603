"""``shebao import --kind business_cases``: business cases (业务) and their steps."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated

from ...core.importing import Children, Group, ImportKind, ImportRow, Problem, Record, Upsert
from ...core.importing.columns import Choice, LocalTime, Pattern, Text
from ...people.importing import PERSON
from .models import BusinessCase, BusinessStep
from .services import SERIAL
from .vocabulary import ALIASES, CaseKind, CaseStatus, StepName

MAX_STEPS = 20


class StepRow(ImportRow):
    """Business cases handled by the service centre, one row per step (table
    `business_step`), the steps of a case in the order they are handled. A serial already in
    the city is updated and its steps replaced."""

    blank_is_missing = True

    serial: Annotated[str, Pattern(SERIAL, "must be 10 to 20 digits")]
    """The case's serial number (业务流水号), unique in the city."""
    id_number: Annotated[str, PERSON]
    """The applicant's resident ID number; they must already be in the city."""
    kind: Annotated[str, Choice.with_synonyms(CaseKind, ALIASES)]
    """The kind of business."""
    submitted_at: Annotated[datetime, LocalTime()]
    """When the application was submitted."""
    status: Annotated[str, Choice.with_synonyms(CaseStatus, ALIASES)]
    """completed when every step is completed; in_progress while one is not."""
    step: Annotated[str, Choice.with_synonyms(StepName, ALIASES)]
    """This row's step; the rows of a case give its steps in the order they are handled."""
    step_office: Annotated[str, Text(64)] | None = None
    """The office that handles the step."""
    step_completed_at: Annotated[datetime, LocalTime()] | None = None
    """Empty while the step is not done; a step is done only after the steps before it."""


def steps_in_order(city: str, records: Sequence[Record]) -> list[Problem]:
    """The steps of a case are done one after another, and the case's status says so."""
    problems = []
    for record in records:
        case, steps = record.row, record.rows
        if len(steps) > MAX_STEPS:
            problems.append(
                Problem(steps[MAX_STEPS][0], "serial", f"a case has at most {MAX_STEPS} steps")
            )
        waiting = False
        for line, step in steps:
            if step.step_completed_at is None:
                waiting = True
            elif waiting:
                problems.append(
                    Problem(
                        line, "step_completed_at", "an earlier step of this serial is not completed"
                    )
                )
            elif step.step_completed_at < case.submitted_at:
                problems.append(Problem(line, "step_completed_at", "is before submitted_at"))
        last = steps[-1][0]
        if case.status == CaseStatus.COMPLETED and waiting:
            problems.append(
                Problem(
                    last, "status", "completed, but a step of this serial has no step_completed_at"
                )
            )
        if case.status == CaseStatus.IN_PROGRESS and not waiting:
            problems.append(
                Problem(last, "status", "in_progress, but every step of this serial is completed")
            )
    return problems


def case_values(record: Record) -> dict:
    return record.values(exclude={"step", "step_office", "step_completed_at"})


def case_steps(record: Record) -> list[dict]:
    return [
        {"name": row.step, "office": row.step_office, "completed_at": row.step_completed_at}
        for _, row in record.rows
    ]


BUSINESS_CASES = ImportKind(
    name="business_cases",
    row=StepRow,
    key=("serial",),
    group=Group(noun="serial", same=("id_number", "kind", "submitted_at", "status")),
    check=steps_in_order,
    write=Upsert(
        BusinessCase,
        key=("city", "serial"),
        values=case_values,
        children=Children(BusinessStep, "case_id", case_steps, position="position"),
    ),
)
