"""The order state machine: created → confirmed → paying → paid | failed; voided and expired
from any unfinished state. Nothing leaves paid, failed, voided or expired."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class OrderStatus(StrEnum):
    CREATED = "created"
    CONFIRMED = "confirmed"
    PAYING = "paying"
    PAID = "paid"
    FAILED = "failed"
    VOIDED = "voided"
    EXPIRED = "expired"

    @property
    def label(self):
        return STATUS_LABELS[self]


STATUS_LABELS = {
    OrderStatus.CREATED: _l("Awaiting confirmation"),
    OrderStatus.CONFIRMED: _l("Awaiting payment"),
    OrderStatus.PAYING: _l("Paying at the bank"),
    OrderStatus.PAID: _l("Paid"),
    OrderStatus.FAILED: _l("Payment failed"),
    OrderStatus.VOIDED: _l("Voided"),
    OrderStatus.EXPIRED: _l("Expired"),
}

OPEN = frozenset({OrderStatus.CREATED, OrderStatus.CONFIRMED, OrderStatus.PAYING})
#: Closed without payment: the order's periods are free again.
CLOSED_UNPAID = frozenset({OrderStatus.FAILED, OrderStatus.VOIDED, OrderStatus.EXPIRED})

ALLOWED = {
    OrderStatus.CREATED: {OrderStatus.CONFIRMED, OrderStatus.VOIDED, OrderStatus.EXPIRED},
    OrderStatus.CONFIRMED: {OrderStatus.PAYING, OrderStatus.VOIDED, OrderStatus.EXPIRED},
    OrderStatus.PAYING: {
        OrderStatus.PAID,
        OrderStatus.FAILED,
        OrderStatus.VOIDED,
        OrderStatus.EXPIRED,
    },
}


def can_move(current: str, target: str) -> bool:
    return OrderStatus(target) in ALLOWED.get(OrderStatus(current), set())


def status_label(status: str) -> str:
    try:
        return str(OrderStatus(status).label)
    except ValueError:
        return status
