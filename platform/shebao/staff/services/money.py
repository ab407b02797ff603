"""Money at the service hall (role ``finance``): payments kept for refund, marked refunded
with the bank's reference, and the daily reconciliation of orders against bank notices."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select, update

from ...core.extensions import db
from ...core.time import LOCAL_ZONE, utcnow
from ...modules.payments.models import BankNotification, PaymentOrder
from ...tenancy.city import City
from ..models import StaffMember
from .auditing import record
from .errors import StaffError

REFERENCE = re.compile(r"^[A-Za-z0-9_-]{4,64}$")


def refunds(city: City, *, done: bool = False) -> list[tuple[BankNotification, PaymentOrder]]:
    """Payments kept for refund (``done``: those already refunded), oldest first."""
    statement = (
        select(BankNotification, PaymentOrder)
        .join(PaymentOrder, PaymentOrder.id == BankNotification.order_id)
        .where(
            BankNotification.city == city.code,
            PaymentOrder.city == city.code,
            BankNotification.result == "refund",
            BankNotification.refunded_at.is_not(None)
            if done
            else BankNotification.refunded_at.is_(None),
        )
        .order_by(BankNotification.received_at)
    )
    return [(row[0], row[1]) for row in db.session.execute(statement)]


def mark_refunded(city: City, staff: StaffMember, notification_id: int, reference: str) -> None:
    """Record that the money went back, with the bank's refund reference; once only."""
    reference = (reference or "").strip()
    if not REFERENCE.match(reference):
        raise StaffError(
            _("Enter the bank's refund reference: 4 to 64 letters, digits, - or _."), "reference"
        )
    row = db.session.scalar(
        select(BankNotification).where(
            BankNotification.city == city.code,
            BankNotification.id == notification_id,
            BankNotification.result == "refund",
        )
    )
    if row is None:
        raise StaffError(_("There is no such payment kept for refund in this city."))
    marked = db.session.execute(
        update(BankNotification)
        .where(BankNotification.id == row.id, BankNotification.refunded_at.is_(None))
        .values(refunded_at=utcnow(), refund_reference=reference)
        .execution_options(synchronize_session=False)
    ).rowcount
    if marked != 1:
        raise StaffError(_("This payment was marked refunded already."))
    record(
        "refund_marked",
        city,
        staff,
        transaction=row.transaction_id,
        amount=str(row.amount),
        reference=reference,
    )


@dataclass(frozen=True)
class ReconciliationLine:
    order_number: str
    transaction_id: str
    portal_amount: Decimal | None
    bank_amount: Decimal | None
    difference: str  # "" when they agree


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), LOCAL_ZONE)
    return start, start + timedelta(days=1)


def reconciliation(city: City, bank: str, day: date) -> list[ReconciliationLine]:
    """Orders paid in the portal on ``day`` (local) through ``bank`` against the bank's paid
    notices received that day: each difference named (missing notice, notice without a paid
    order, amounts differ)."""
    start, end = _day_bounds(day)
    orders = {
        order.bank_transaction or f"order:{order.number}": order
        for order in db.session.scalars(
            select(PaymentOrder).where(
                PaymentOrder.city == city.code,
                PaymentOrder.bank == bank,
                PaymentOrder.status == "paid",
                PaymentOrder.paid_at >= start,
                PaymentOrder.paid_at < end,
            )
        )
    }
    notices = {
        notice.transaction_id: notice
        for notice in db.session.scalars(
            select(BankNotification).where(
                BankNotification.city == city.code,
                BankNotification.bank == bank,
                BankNotification.outcome == "paid",
                BankNotification.received_at >= start,
                BankNotification.received_at < end,
            )
        )
    }
    lines = []
    for key in sorted(set(orders) | set(notices)):
        order, notice = orders.get(key), notices.get(key)
        if order is None:
            difference = (
                _("money kept for refund") if notice.result == "refund" else _("no paid order")
            )
        elif notice is None:
            difference = _("no bank notice")
        elif order.total != notice.amount:
            difference = _("amounts differ")
        else:
            difference = ""
        lines.append(
            ReconciliationLine(
                order.number if order else "",
                notice.transaction_id if notice else (order.bank_transaction or ""),
                order.total if order else None,
                notice.amount if notice else None,
                difference,
            )
        )
    return lines


def reconciliation_csv(lines: list[ReconciliationLine]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["order", "transaction", "portal_amount", "bank_amount", "difference"])
    for line in lines:
        writer.writerow(
            [
                line.order_number,
                line.transaction_id,
                f"{line.portal_amount:.2f}" if line.portal_amount is not None else "",
                f"{line.bank_amount:.2f}" if line.bank_amount is not None else "",
                line.difference,
            ]
        )
    return out.getvalue()
