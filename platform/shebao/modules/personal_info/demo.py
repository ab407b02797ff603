"""Demo business cases: a share of the people have one or two, some still in progress.

Deterministic for the given ``rng``; written with batched Core inserts in the caller's
transaction. The first employee (the README's demo employee 张伟) always gets the two cases
of ``DEMO_EMPLOYEE_CASES``, with serial numbers the README can list.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from ...core.batch import insert_returning, insert_rows
from ...core.extensions import db
from ...core.time import LOCAL_ZONE, local_to_utc
from .models import BusinessCase, BusinessStep
from .vocabulary import KIND_STEPS, CaseKind, CaseStatus, StepName

#: The demo data's "today": fixed, so the same seed gives the same data on any day.
AS_OF = datetime(2026, 11, 20, 17, 0, tzinfo=LOCAL_ZONE)
SHARE = 0.35

KINDS_BY_CATEGORY = {
    "employee": (
        CaseKind.PENSION_TRANSFER,
        CaseKind.CARD_REPLACEMENT,
        CaseKind.UNEMPLOYMENT_CLAIM,
        CaseKind.MEDICAL_REMOTE_FILING,
    ),
    "retiree": (
        CaseKind.RETIREMENT_APPROVAL,
        CaseKind.MEDICAL_REMOTE_FILING,
        CaseKind.CARD_REPLACEMENT,
    ),
    "flexible": (
        CaseKind.PENSION_TRANSFER,
        CaseKind.CARD_REPLACEMENT,
        CaseKind.MEDICAL_REMOTE_FILING,
    ),
    "resident": (CaseKind.CARD_REPLACEMENT, CaseKind.MEDICAL_REMOTE_FILING),
}
DEPARTMENTS = {
    CaseKind.PENSION_TRANSFER: "养老保险科",
    CaseKind.RETIREMENT_APPROVAL: "养老保险科",
    CaseKind.CARD_REPLACEMENT: "社保卡服务中心",
    CaseKind.UNEMPLOYMENT_CLAIM: "失业保险科",
    CaseKind.MEDICAL_REMOTE_FILING: "医疗保险科",
}

#: The demo employee's cases: (serial suffix, kind, status, local step times; None = not done).
DEMO_EMPLOYEE_CASES = (
    (
        "20261103",
        "0001",
        CaseKind.PENSION_TRANSFER,
        CaseStatus.IN_PROGRESS,
        (datetime(2026, 11, 3, 9, 30), datetime(2026, 11, 6, 14, 10), None, None),
    ),
    (
        "20250618",
        "0002",
        CaseKind.CARD_REPLACEMENT,
        CaseStatus.COMPLETED,
        (datetime(2025, 6, 18, 10, 5), datetime(2025, 6, 25, 15, 40), datetime(2025, 6, 27, 9, 15)),
    ),
)


def demo_employee_serials(city) -> list[str]:
    """The serial numbers of the demo employee's cases in ``city`` (for the README)."""
    return [
        f"{day}{city.config.division_code[:4]}{suffix}" for day, suffix, *_ in DEMO_EMPLOYEE_CASES
    ]


def _office(city, kind: str, step: str) -> str:
    if step == StepName.ACCEPT:
        return f"{city.name}社会保险服务大厅"
    return f"{city.name}社会保险事业中心{DEPARTMENTS[CaseKind(kind)]}"


def _working_time(rng: random.Random, day: date) -> datetime:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(
        day, time(rng.randint(8, 16), rng.choice((0, 10, 20, 30, 40, 50))), LOCAL_ZONE
    )


def _generated_case(
    rng: random.Random, category: str
) -> tuple[str, str, datetime, list[datetime | None]]:
    kind = rng.choice(KINDS_BY_CATEGORY.get(category, KINDS_BY_CATEGORY["resident"]))
    status = rng.choices(
        (CaseStatus.COMPLETED, CaseStatus.IN_PROGRESS, CaseStatus.RETURNED), (70, 20, 10)
    )[0]
    count = len(KIND_STEPS[kind])
    if status == CaseStatus.IN_PROGRESS:
        submitted = _working_time(rng, (AS_OF - timedelta(days=rng.randint(3, 40))).date())
        done = rng.randint(1, count - 1)
    elif status == CaseStatus.COMPLETED:
        submitted = _working_time(rng, (AS_OF - timedelta(days=rng.randint(45, 5 * 365))).date())
        done = count
    else:
        submitted = _working_time(rng, (AS_OF - timedelta(days=rng.randint(45, 3 * 365))).date())
        done = rng.randint(2 if count > 2 else 1, count - 1)
    times: list[datetime | None] = [submitted]
    for _ in range(1, done):
        after = _working_time(rng, times[-1].date() + timedelta(days=rng.randint(1, 6)))
        if after > AS_OF:  # the step would finish after "today": the case is still at it
            status = CaseStatus.IN_PROGRESS
            break
        times.append(after)
    times += [None] * (count - len(times))
    return kind, status, submitted, times


def seed_business_cases(city, people: list[dict], rng: random.Random) -> None:
    if not city.options("personal_info").business_progress:
        return
    used = set(
        db.session.scalars(select(BusinessCase.serial).where(BusinessCase.city == city.code))
    )
    demo_employee = next((person for person in people if person["category"] == "employee"), None)
    cases: list[dict] = []
    steps: dict[str, list[dict]] = {}

    def add(
        person_id: int, serial: str, kind: str, status: str, submitted: datetime, times
    ) -> None:
        used.add(serial)
        cases.append(
            {
                "city": city.code,
                "serial": serial,
                "person_id": person_id,
                "kind": kind,
                "status": status,
                "submitted_at": local_to_utc(submitted),
            }
        )
        steps[serial] = [
            {
                "city": city.code,
                "position": position,
                "name": name,
                "office": _office(city, kind, name),
                "completed_at": local_to_utc(done) if done else None,
            }
            for position, (name, done) in enumerate(
                zip(KIND_STEPS[kind], times, strict=True), start=1
            )
        ]

    for person in people:
        if person is demo_employee:
            for serial, (_day, _suffix, kind, status, times) in zip(
                demo_employee_serials(city), DEMO_EMPLOYEE_CASES, strict=True
            ):
                add(person["id"], serial, kind, status, times[0], times)
            continue
        if rng.random() >= SHARE:
            continue
        for _ in range(rng.choice((1, 1, 1, 2))):
            kind, status, submitted, times = _generated_case(rng, person["category"])
            serial = f"{submitted:%Y%m%d}{rng.randrange(10**8):08d}"
            while serial in used:
                serial = f"{submitted:%Y%m%d}{rng.randrange(10**8):08d}"
            add(person["id"], serial, kind, status, submitted, times)

    ids = insert_returning(BusinessCase, cases, key="serial")
    insert_rows(
        BusinessStep,
        [
            dict(step, case_id=ids[case["serial"]])
            for case in cases
            for step in steps[case["serial"]]
        ],
    )
