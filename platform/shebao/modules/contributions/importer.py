"""``shebao import --kind contributions``: monthly contribution records."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from ...core.importing import ImportKind, ImportRow, Upsert
from ...core.importing.columns import Amount, Choice, Month, Text
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


CONTRIBUTIONS = ImportKind(
    name="contributions",
    row=ContributionRow,
    key=("id_number", "insurance_type", "period"),
    write=Upsert(Contribution, key=("person_id", "insurance_type", "period")),
)
