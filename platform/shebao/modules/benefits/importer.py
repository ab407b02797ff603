"""``shebao import --kind benefits``: benefit payments, one row per payment item."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from ...core.importing import Children, Group, ImportKind, ImportRow, Record, Upsert
from ...core.importing.columns import Amount, Choice, Date, Month, Text
from ...core.money import ZERO
from ...people.importing import PERSON
from .models import BenefitItem, BenefitPayment
from .vocabulary import BENEFIT_TYPES

CHINESE_NAMES = {
    "pension": "退休金待遇",
    "unemployment": "失业金待遇",
    "work_injury": "工伤待遇",
    "maternity": "生育待遇",
    "medical": "医疗报销待遇",
}
BENEFIT_TYPE = Choice({code: (CHINESE_NAMES[code],) for code in BENEFIT_TYPES})


class BenefitItemRow(ImportRow):
    """Benefit payments, one row per payment item (table `benefit_item`); the payment's total
    is the sum of its items. A payment already in the city is replaced: its date and items."""

    id_number: Annotated[str, PERSON]
    """The person's resident ID number; the person must already be in the city."""
    benefit_type: Annotated[str, BENEFIT_TYPE]
    """The benefit paid."""
    period: Annotated[date, Month()]
    """The month the payment is for."""
    paid_on: Annotated[date, Date()]
    """The day it was paid; the same on every item of a payment."""
    item: Annotated[str, Text(64, min_length=1)]
    """The item's name as the benefit office records it, e.g. 基本养老金."""
    amount: Annotated[Decimal, Amount()]
    """The item's amount."""


def payment_values(record: Record) -> dict:
    total = sum((row.amount for _, row in record.rows), ZERO)
    return record.values(exclude={"item", "amount"}) | {"total": total}


def payment_items(record: Record) -> list[dict]:
    return [{"name": row.item, "amount": row.amount} for _, row in record.rows]


BENEFITS = ImportKind(
    name="benefits",
    row=BenefitItemRow,
    key=("id_number", "benefit_type", "period"),
    group=Group(noun="payment", same=("paid_on",), distinct=("item",)),
    write=Upsert(
        BenefitPayment,
        key=("person_id", "benefit_type", "period"),
        values=payment_values,
        children=Children(BenefitItem, "payment_id", payment_items, position="position"),
    ),
)
