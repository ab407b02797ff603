"""Factories for business cases and labour filings (the isolation test and the module tests).

Each factory adds a valid, flushed row of ``city`` with the parent rows it needs; pass
``person`` to attach the row to an existing person instead of a new one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from shebao.core.extensions import db
from shebao.modules.labour.credit_code import make_credit_code
from shebao.modules.labour.models import LabourFiling
from shebao.modules.personal_info.models import BusinessCase, BusinessStep

SUBMITTED = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)  # 09:30 in Beijing
STEPS = ("accept", "review", "recheck", "complete")


def _person(city: str, seq: int):
    from tests.factories import person  # imported late: tests.factories imports this module

    return person(city, seq)


def _add(row):
    db.session.add(row)
    db.session.flush()
    return row


def serial_of(seq: int) -> str:
    return f"20260302{seq:08d}"


def business_case(
    city: str,
    seq: int = 1,
    *,
    person=None,
    done: int = 2,
    status: str = "in_progress",
    serial: str | None = None,
    kind: str = "pension_transfer",
    submitted_at: datetime = SUBMITTED,
) -> BusinessCase:
    """A case with four steps, the first ``done`` of them completed a day apart."""
    owner = person if person is not None else _person(city, seq)
    case = BusinessCase(
        city=city,
        serial=serial or serial_of(seq),
        person_id=owner.id,
        kind=kind,
        submitted_at=submitted_at,
        status=status,
    )
    for position, name in enumerate(STEPS, start=1):
        case.steps.append(
            BusinessStep(
                city=city,
                position=position,
                name=name,
                office=f"测试经办机构{position}",
                completed_at=submitted_at + timedelta(days=position - 1)
                if position <= done
                else None,
            )
        )
    return _add(case)


def business_step(city: str, seq: int = 1) -> BusinessStep:
    return business_case(city, seq).steps[0]


def labour_filing(city: str, seq: int = 1, *, person=None, **values) -> LabourFiling:
    owner = person if person is not None else _person(city, seq)
    row = {
        "city": city,
        "person_id": owner.id,
        "employer": f"测试用人单位{seq}",
        "credit_code": make_credit_code("371600", seq),
        "contract_type": "fixed_term",
        "start_date": date(2020, 1, 1) + timedelta(days=seq),
        "end_date": date(2023, 1, 1) + timedelta(days=seq),
        "filing_date": date(2020, 1, 10) + timedelta(days=seq),
        "status": "expired",
    }
    row.update(values)
    return _add(LabourFiling(**row))


FACTORIES: dict = {
    BusinessCase: business_case,
    BusinessStep: business_step,
    LabourFiling: labour_filing,
}
