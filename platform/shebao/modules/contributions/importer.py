"""``shebao import --kind contributions``: monthly contribution records."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Annotated

from ...core.importing import ImportKind, ImportRow, Upsert
from ...core.importing.columns import Amount, Choice, Month, Text
from ...messages.kinds import MessageKind
from ...messages.services import post_message
from ...people.importing import PERSON
from ...people.insurance import InsuranceType
from .models import Contribution, ContributionStatus

INSURANCE_TYPE = Choice(
    {
        InsuranceType.PENSION: ("职工养老保险",),
        InsuranceType.MEDICAL: ("职工医疗保险",),
        InsuranceType.UNEMPLOYMENT: ("失业保险",),
        InsuranceType.WORK_INJURY: ("工伤保险",),
        InsuranceType.MATERNITY: ("生育保险",),
        InsuranceType.RESIDENT_PENSION: ("居民养老保险",),
        InsuranceType.RESIDENT_MEDICAL: ("居民医疗保险",),
    }
)
STATUS = Choice(
    {
        ContributionStatus.PAID: ("已缴费",),
        ContributionStatus.ARREARS: ("欠费",),
        ContributionStatus.REFUNDED: ("已退费",),
    }
)


class ContributionRow(ImportRow):
    """Contribution records, one row per person, insurance type and month. A row for a month
    already on record replaces that record."""

    id_number: Annotated[str, PERSON]
    """The person's resident ID number; the person must already be in the city."""
    insurance_type: Annotated[str, INSURANCE_TYPE]
    """The insurance contributed to."""
    period: Annotated[date, Month()]
    """The month contributed for."""
    base: Annotated[Decimal, Amount()]
    """The contribution base (for resident insurances: the amount paid)."""
    individual: Annotated[Decimal, Amount()]
    """The person's part."""
    employer: Annotated[Decimal, Amount()]
    """The employer's part (for resident insurances: the government subsidy)."""
    status: Annotated[str, STATUS]
    """Whether the month is paid, owed or refunded."""
    payer: Annotated[str, Text(128, min_length=1)]
    """The employer's name, or 个人缴费 when the person paid."""


def tell_posted(city: str, rows: list[dict]) -> None:
    """Tell each person whose paid months a batch recorded (消息中心): one message per person
    and batch, naming how many months and from when to when, linking to the history of the
    latest month's insurance. Importing the same months again tells nothing new."""
    by_person: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        if row["status"] == ContributionStatus.PAID:
            by_person[row["person_id"]].append(row)
    for person_id, paid in by_person.items():
        months = sorted({(row["period"], str(row["insurance_type"])) for row in paid})
        first, last = months[0][0], months[-1][0]
        identity = hashlib.sha256(repr(months).encode()).hexdigest()[:32]
        post_message(
            city,
            person_id,
            MessageKind.CONTRIBUTIONS_POSTED,
            params={
                "months": len({period for period, _kind in months}),
                "first": first.strftime("%Y-%m"),
                "last": last.strftime("%Y-%m"),
            },
            link=(f"contributions.{months[-1][1]}", {}),
            dedupe_key=f"contributions:{identity}",
        )


CONTRIBUTIONS = ImportKind(
    name="contributions",
    row=ContributionRow,
    key=("id_number", "insurance_type", "period"),
    write=Upsert(Contribution, key=("person_id", "insurance_type", "period"), then=tell_posted),
)
