"""Factories of the payments module's city-owned models (for the isolation test)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from shebao.core.extensions import db
from shebao.modules.payments.models import (
    BankNotification,
    PaymentOrder,
    PaymentOrderLine,
    PaymentTransition,
)
from tests import factories


def _add(row):
    db.session.add(row)
    db.session.flush()
    return row


def payment_order(city: str, seq: int = 1, **values) -> PaymentOrder:
    owner = values.pop("person", None) or factories.person(city, seq)
    return _add(
        PaymentOrder(
            city=city,
            number=values.pop("number", f"{city[:2].upper()}T{seq:010d}"),
            person_id=owner.id,
            kind="flexible",
            entry="flexible",
            status=values.pop("status", "created"),
            total=values.pop("total", Decimal("800.00")),
            refund_due=False,
            **values,
        )
    )


def payment_order_line(city: str, seq: int = 1) -> PaymentOrderLine:
    order = payment_order(city, seq)
    return _add(
        PaymentOrderLine(
            city=city,
            order_id=order.id,
            person_id=order.person_id,
            insurance_type="pension",
            period=date(2026, 1, 1),
            base=Decimal("4000.00"),
            amount=Decimal("800.00"),
            holds_period=True,
        )
    )


def payment_transition(city: str, seq: int = 1) -> PaymentTransition:
    order = payment_order(city, seq)
    return _add(
        PaymentTransition(
            city=city, order_id=order.id, from_status="", to_status="created", cause="test"
        )
    )


def bank_notification(city: str, seq: int = 1, **values) -> BankNotification:
    order = values.pop("order", None) or payment_order(city, seq)
    return _add(
        BankNotification(
            city=city,
            order_id=order.id,
            bank=values.pop("bank", "icbc"),
            transaction_id=values.pop("transaction_id", f"T-{city}-{seq}"),
            amount=order.total,
            outcome="paid",
            source="notify",
            result=values.pop("result", "applied"),
            **values,
        )
    )


FACTORIES: dict = {
    PaymentOrder: payment_order,
    PaymentOrderLine: payment_order_line,
    PaymentTransition: payment_transition,
    BankNotification: bank_notification,
}
