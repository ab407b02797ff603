"""Expiry of unfinished orders, and the list of payments kept for refund.

``shebao payments expire`` runs one unit of work per order: an order stuck in paying is first
checked with the bank (``ask_bank``, outside any write), then either takes the bank's word or
expires. Safe to run on several nodes at once: every move is a conditional update, and the
bank's word is applied once per transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from ....core.extensions import db
from ....core.time import utcnow
from ....integrations.bank import BankStatus
from ....tenancy.city import City
from ..models import BankNotification, PaymentOrder
from ..states import OPEN, OrderStatus
from .bank_results import record_bank_answer
from .transitions import move


@dataclass
class ExpiryResult:
    """What one expiry run did in one city."""

    expired: int = 0
    paid: int = 0
    failed: int = 0
    #: Orders in paying left alone because the bank could not be asked.
    unchecked: int = 0

    def count(self, outcome: str) -> None:
        """Add one order's outcome: expired, paid, failed or unchecked ('' adds nothing)."""
        if outcome == "expired":
            self.expired += 1
        elif outcome == "paid":
            self.paid += 1
        elif outcome == "failed":
            self.failed += 1
        elif outcome == "unchecked":
            self.unchecked += 1


def stale_order_numbers(city: City, now: datetime | None = None) -> list[str]:
    """The city's unfinished orders untouched for longer than its ``order_ttl_minutes``."""
    cutoff = (now or utcnow()) - timedelta(minutes=city.options("payments").order_ttl_minutes)
    return list(
        db.session.scalars(
            select(PaymentOrder.number)
            .where(
                PaymentOrder.city == city.code,
                PaymentOrder.status.in_([status.value for status in OPEN]),
                PaymentOrder.updated_at < cutoff,
            )
            .order_by(PaymentOrder.updated_at)
        )
    )


def expire_order(city: City, order: PaymentOrder, answer: BankStatus | None) -> str:
    """Close one stale order: paid or failed when the bank's ``answer`` (from ``ask_bank``)
    says so, else expired. Returns paid, failed, expired, or '' when another node (or the
    resident) moved the order first."""
    if order.city != city.code or order.status not in OPEN:
        return ""
    if answer is not None:
        after = record_bank_answer(city, order, answer)
        if after in (OrderStatus.PAID, OrderStatus.FAILED):
            return str(after)
    if move(city.code, order, OrderStatus.EXPIRED, "expiry"):
        return "expired"
    return ""


@dataclass(frozen=True)
class RefundDue:
    order_number: str
    bank: str
    transaction_id: str
    amount: Decimal
    status: str


def refunds_due(city: City) -> list[RefundDue]:
    """Every payment kept for refund in ``city`` (money for a closed or already paid order)."""
    rows = db.session.execute(
        select(
            PaymentOrder.number,
            BankNotification.bank,
            BankNotification.transaction_id,
            BankNotification.amount,
            PaymentOrder.status,
        )
        .join(PaymentOrder, PaymentOrder.id == BankNotification.order_id)
        .where(
            BankNotification.city == city.code,
            PaymentOrder.city == city.code,
            BankNotification.result == "refund",
        )
        .order_by(BankNotification.received_at)
    ).all()
    return [RefundDue(*row) for row in rows]
