"""Moving orders through the state machine (``states.py``), and starting a payment at a bank.

Every move is one conditional UPDATE (``WHERE status = <what was read>``) whose row count
decides who won a race, followed in the same unit of work by the transition row, the audit
row and, for an order closed unpaid, the release of its months.

Starting a payment spans an outside call, so it is two steps the view keeps apart:
``open_bank_payment`` asks the bank (no row is written, no lock held while the bank answers),
then ``mark_paying`` moves the order in its own unit of work. A bank that refuses therefore
leaves the order as it was.
"""

from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update

from ....audit import audit
from ....core.extensions import db
from ....core.time import utcnow
from ....integrations.bank import BankError, PaymentRequest, bank_gateway
from ....messages.kinds import MessageKind
from ....messages.services import post_message
from ....tenancy.city import City
from ..models import PaymentOrder, PaymentOrderLine, PaymentTransition
from ..states import CLOSED_UNPAID, OrderStatus, can_move
from .refusals import PaymentRefused

log = logging.getLogger("shebao.payments")
#: How often a move reads the state again after another transaction moved the order first.
ATTEMPTS = 4


def move(
    city_code: str, order: PaymentOrder, target: OrderStatus, cause: str, **values: Any
) -> bool:
    """Move ``order`` to ``target`` if its current state allows it; True when this call did.

    One conditional UPDATE per attempt; when another transaction moved the order first, the
    state is read again and the rule checked again. ``order`` itself is not refreshed.
    """
    for _attempt in range(ATTEMPTS):
        current = db.session.scalar(
            select(PaymentOrder.status).where(
                PaymentOrder.id == order.id, PaymentOrder.city == city_code
            )
        )
        if current is None or not can_move(current, target):
            return False
        now = utcnow()
        moved = db.session.execute(
            update(PaymentOrder)
            .where(
                PaymentOrder.id == order.id,
                PaymentOrder.city == city_code,
                PaymentOrder.status == current,
            )
            .values(status=target.value, updated_at=now, **values)
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount == 1:
            _record_move(city_code, order, current, target, cause, now)
            return True
    return False


def _record_move(
    city_code: str, order: PaymentOrder, current: str, target: OrderStatus, cause: str, now
) -> None:
    db.session.add(
        PaymentTransition(
            city=city_code,
            order_id=order.id,
            from_status=current,
            to_status=target.value,
            cause=cause[:64],
            created_at=now,
        )
    )
    if target in CLOSED_UNPAID:
        db.session.execute(
            update(PaymentOrderLine)
            .where(PaymentOrderLine.order_id == order.id, PaymentOrderLine.city == city_code)
            .values(holds_period=None)
            .execution_options(synchronize_session=False)
        )
    _tell_resident(city_code, order, target)
    audit(
        f"payment_order_{target.value}",
        city=city_code,
        person=SimpleNamespace(id=order.person_id),
        order=order.number,
        cause=cause[:64],
    )


#: The moves the resident is told of (消息中心), each at most once per order.
TOLD = {
    OrderStatus.PAID: MessageKind.ORDER_PAID,
    OrderStatus.FAILED: MessageKind.ORDER_FAILED,
    OrderStatus.EXPIRED: MessageKind.ORDER_EXPIRED,
}


def _tell_resident(city_code: str, order: PaymentOrder, target: OrderStatus) -> None:
    kind = TOLD.get(target)
    if kind is None:
        return
    post_message(
        city_code,
        order.person_id,
        kind,
        params={"order": order.number, "amount": str(order.total)},
        link=("payments.order", {"number": order.number}),
        dedupe_key=f"order:{order.number}:{target.value}",
    )


def confirm(city: City, order: PaymentOrder) -> bool:
    """确认缴费 (or Dezhou's 下一步 on the review page): created → confirmed."""
    return move(city.code, order, OrderStatus.CONFIRMED, "resident")


def void(city: City, order: PaymentOrder, cause: str = "resident") -> bool:
    """作废: any unfinished state → voided, freeing the order's months."""
    return move(city.code, order, OrderStatus.VOIDED, cause)


def open_bank_payment(
    city: City,
    order: PaymentOrder,
    bank: str,
    bank_codes: list[str],
    return_path: str,
    notify_path: str | None = None,
) -> str:
    """Ask ``bank`` to open the payment of ``order``; returns where to send the browser.

    An outside call that writes nothing: ``mark_paying`` moves the order afterwards. Raises
    ``PaymentRefused`` for a bank the city does not offer, an order that cannot be paid, or a
    bank that refuses.
    """
    if bank not in bank_codes:
        raise PaymentRefused(_("Choose a bank from the list."), "bank")
    if order.city != city.code or not _payable_at(order, bank):
        raise PaymentRefused(_("This order can no longer be paid."))
    try:
        return bank_gateway().start_payment(
            PaymentRequest(
                city.code, bank, order.number, order.total, return_path, notify_path=notify_path
            )
        )
    except BankError as error:
        log.warning("bank %s refused to start payment of %s: %s", bank, order.number, error)
        raise PaymentRefused(
            _("Online payment is not available at the moment. Please try again later.")
        ) from None


def mark_paying(city: City, order: PaymentOrder, bank: str) -> None:
    """Confirmed → paying at ``bank`` (after the bank opened the payment).

    Paying again at the same bank, after coming back without paying, moves nothing. Raises
    ``PaymentRefused`` when the order moved on meanwhile (voided in another tab, expired).
    """
    if order.status == OrderStatus.PAYING and order.bank == bank:
        return
    if not move(city.code, order, OrderStatus.PAYING, "resident", bank=bank):
        raise PaymentRefused(_("This order can no longer be paid."))


def _payable_at(order: PaymentOrder, bank: str) -> bool:
    if order.status == OrderStatus.PAYING:
        return order.bank == bank
    return can_move(order.status, OrderStatus.PAYING)
