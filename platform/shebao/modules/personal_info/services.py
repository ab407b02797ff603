"""Rules of the personal information pages: what a person sees of themselves and of their
business cases. Every lookup is by the person as well as the city, never by id alone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...core.extensions import db
from ...people.insurance import InsuranceType, InsuredStatus
from ...people.models import Person, PersonInsurance
from ...tenancy.city import City
from .models import BusinessCase, BusinessStep
from .vocabulary import CaseStatus

#: A business serial number (业务流水号): digits only. Anything else is simply not found.
SERIAL = re.compile(r"^[0-9]{10,20}$")
RECENT_CASES = 10
STATUSES = frozenset(status.value for status in InsuredStatus)


@dataclass(frozen=True)
class InsuranceLine:
    insurance_type: InsuranceType
    status: InsuredStatus
    first_insured: date | None


@dataclass(frozen=True)
class BasicInfo:
    person: Person
    first_insured: date | None
    insurances: list[InsuranceLine]


def basic_info(city: City, person: Person) -> BasicInfo:
    """The person's insured status for every insurance type (未参保 where there is no row)."""
    rows = db.session.scalars(
        select(PersonInsurance).where(
            PersonInsurance.city == city.code, PersonInsurance.person_id == person.id
        )
    ).all()
    by_type = {row.insurance_type: row for row in rows}
    lines = []
    for kind in InsuranceType:
        row = by_type.get(kind.value)
        known = row is not None and row.status in STATUSES
        status = InsuredStatus(row.status) if known else InsuredStatus.NOT_INSURED
        lines.append(InsuranceLine(kind, status, row.first_insured if known else None))
    dates = [
        line.first_insured
        for line in lines
        if line.first_insured is not None and line.status != InsuredStatus.NOT_INSURED
    ]
    return BasicInfo(person=person, first_insured=min(dates) if dates else None, insurances=lines)


def normalise_serial(raw: str | None) -> str | None:
    """The serial as typed, without spaces; None when it cannot be a serial number."""
    text = (raw or "").strip().replace(" ", "")
    return text if len(text) <= 20 and SERIAL.match(text) else None


def find_case(city: City, person: Person, raw_serial: str | None) -> BusinessCase | None:
    """The person's own case with this serial, with its steps; None for anything else.

    An unknown serial, a malformed one, another person's or another city's all give None, so
    the page cannot tell them apart.
    """
    serial = normalise_serial(raw_serial)
    if serial is None:
        return None
    return db.session.scalar(
        select(BusinessCase)
        .where(
            BusinessCase.city == city.code,
            BusinessCase.person_id == person.id,
            BusinessCase.serial == serial,
        )
        .options(selectinload(BusinessCase.steps.and_(BusinessStep.city == city.code)))
    )


def recent_cases(city: City, person: Person, limit: int = RECENT_CASES) -> list[BusinessCase]:
    """The person's newest cases (without steps), newest first."""
    return list(
        db.session.scalars(
            select(BusinessCase)
            .where(BusinessCase.city == city.code, BusinessCase.person_id == person.id)
            .order_by(BusinessCase.submitted_at.desc(), BusinessCase.id.desc())
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class StepState:
    step: BusinessStep
    #: ``done``, ``current`` (being handled now), ``returned`` (sent back here) or ``waiting``.
    state: str


def step_states(case: BusinessCase) -> list[StepState]:
    """Where the case stands: steps done, the one being handled now, and those still to come.

    In a case in progress, the first step without a completion time is the current one. A
    returned case was sent back at its last completed step; nothing after it is handled.
    """
    steps = sorted(case.steps, key=lambda step: step.position)
    states = []
    current_found = False
    done = [step for step in steps if step.completed_at is not None]
    returned_at = done[-1].id if case.status == CaseStatus.RETURNED and done else None
    for step in steps:
        if step.id == returned_at:
            state = "returned"
        elif step.completed_at is not None:
            state = "done"
        elif case.status == CaseStatus.IN_PROGRESS and not current_found:
            state = "current"
            current_found = True
        else:
            state = "waiting"
        states.append(StepState(step, state))
    return states
