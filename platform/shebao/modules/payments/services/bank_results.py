"""What the bank says about a payment: its signed notification, or the answer to our query.

Exactly once per bank transaction: the notice's row is inserted with ``ON CONFLICT DO
NOTHING`` against the unique (bank, transaction id) constraint, and only the call whose
insert wrote the row may move the order. A duplicate, however concurrent, finds the row there
(on PostgreSQL it waits for the first to commit) and changes nothing. Money for an order that
is closed, or already paid by another payment, is kept and flagged for refund.

Refusals (bad signature, unknown order, wrong amount or bank) are decided before anything is
written; the refusal itself is logged and audited in the caller's unit of work. A refused
notification is tallied (one audit row per client address and minute, with a count), because
anyone can post them; a refused answer to our own status query gets a row of its own.
"""

from __future__ import annotations

import logging
from types import SimpleNamespace

from sqlalchemy import select, update

from ....audit import audit, audit_tally
from ....core.batch import upsert_insert
from ....core.extensions import db
from ....core.time import utcnow
from ....integrations.bank import BankNotice, BankStatus, InvalidNotification, bank_gateway
from ....tenancy.city import City
from ...contributions.posting import PaidLine, post_paid_contributions
from ..models import BankNotification, PaymentOrder, PaymentOrderLine
from ..states import OrderStatus
from .reading import order_by_number
from .transitions import move

log = logging.getLogger("shebao.payments")
#: The status query's result when the bank has no usable word about the payment.
UNKNOWN = "unknown"


def handle_notification(city: City, bank: str, body: bytes, signature: str) -> str:
    """Verify and apply one bank notification sent to ``city``'s host.

    Returns applied, refund, ignored, duplicate or refused (logged and audited: a bad
    signature, a malformed body, another city's notice, an unknown order, a wrong amount).
    """
    try:
        notice = bank_gateway().verify_notification(bank, body, signature)
    except InvalidNotification as error:
        return _refused(city.code, "notify", str(error), bank=bank[:32])
    if notice.city != city.code:
        return _refused(city.code, "notify", "notification for another city", bank=bank)
    return apply_bank_result(city, notice, source="notify")


def apply_bank_result(city: City, notice: BankNotice, source: str) -> str:
    """Apply what the bank says about one payment, exactly once per transaction id.

    Returns applied, refund, ignored (the order had already moved), duplicate or refused.
    """
    order = order_by_number(city, notice.order_number) if notice.city == city.code else None
    if order is None:
        return _refused(city.code, source, "unknown order", order=notice.order_number)
    if notice.amount != order.total:
        return _refused(
            city.code,
            source,
            "wrong amount",
            order=order.number,
            amount=str(notice.amount),
            expected=str(order.total),
        )
    if order.bank is not None and notice.bank != order.bank:
        return _refused(city.code, source, "wrong bank", order=order.number, bank=notice.bank)
    notification_id = _insert_once(city.code, order, notice, source)
    if notification_id is None:
        return "duplicate"
    result = "ignored"
    if notice.outcome == "paid":
        result = _apply_payment(city, order, notice, source)
    elif move(city.code, order, OrderStatus.FAILED, f"bank {source}"):
        result = "applied"
    if result != "ignored":
        db.session.execute(
            update(BankNotification)
            .where(BankNotification.id == notification_id, BankNotification.city == city.code)
            .values(result=result)
            .execution_options(synchronize_session=False)
        )
    db.session.refresh(order)
    return result


def ask_bank(city: City, order: PaymentOrder) -> BankStatus | None:
    """The bank's answer about an order waiting in paying; None when there is nothing to ask.

    An outside call that writes nothing (``record_bank_answer`` applies the answer). A bank
    that cannot be reached raises ``BankError``.
    """
    if order.city != city.code or order.status != OrderStatus.PAYING or order.bank is None:
        return None
    return bank_gateway().query_status(city.code, order.bank, order.number)


def record_bank_answer(city: City, order: PaymentOrder, answer: BankStatus | None) -> str:
    """Apply the answer of ``ask_bank`` (Dezhou's 支付成功 / 支付失败, the expiry run).

    Returns the order's status afterwards, or ``unknown`` when the bank has no payment (or a
    word that was refused).
    """
    if answer is None:
        db.session.refresh(order)
        return order.status
    if answer.notice is None or apply_bank_result(city, answer.notice, "query") == "refused":
        return UNKNOWN
    db.session.refresh(order)
    return order.status


def _insert_once(
    city_code: str, order: PaymentOrder, notice: BankNotice, source: str
) -> int | None:
    """The new notification row's id, or None when this (bank, transaction) is already kept."""
    return db.session.scalar(
        upsert_insert(BankNotification)
        .values(
            city=city_code,
            order_id=order.id,
            bank=notice.bank,
            transaction_id=notice.transaction_id,
            amount=notice.amount,
            outcome=notice.outcome,
            source=source,
            result="ignored",
            received_at=utcnow(),
        )
        .on_conflict_do_nothing()
        .returning(BankNotification.id)
    )


def _apply_payment(city: City, order: PaymentOrder, notice: BankNotice, source: str) -> str:
    """Paying → paid with its contribution records; money for a closed order: refund."""
    city_code = city.code
    if move(
        city_code,
        order,
        OrderStatus.PAID,
        f"bank {source}",
        paid_at=utcnow(),
        bank_transaction=notice.transaction_id,
    ):
        _post_contributions(city, order)
        return "applied"
    db.session.refresh(order)
    if order.status == OrderStatus.PAID and order.bank_transaction == notice.transaction_id:
        return "ignored"
    db.session.execute(
        update(PaymentOrder)
        .where(PaymentOrder.id == order.id, PaymentOrder.city == city_code)
        .values(refund_due=True)
        .execution_options(synchronize_session=False)
    )
    audit(
        "payment_refund_due",
        city=city_code,
        person=SimpleNamespace(id=order.person_id),
        order=order.number,
        transaction=notice.transaction_id,
        amount=str(notice.amount),
        status=order.status,
    )
    log.warning("payment for closed order %s kept for refund", order.number)
    return "refund"


def _post_contributions(city: City, order: PaymentOrder) -> None:
    lines = db.session.scalars(
        select(PaymentOrderLine).where(
            PaymentOrderLine.order_id == order.id, PaymentOrderLine.city == city.code
        )
    ).all()
    post_paid_contributions(
        city,
        order.person_id,
        [PaidLine(line.insurance_type, line.period, line.base, line.amount) for line in lines],
    )


def _refused(city_code: str, source: str, reason: str, **detail: str) -> str:
    """Log and audit a notice that is not applied; nothing else has been written.

    Refused notifications (``source`` notify) are tallied per client address and minute, so a
    flood of forgeries cannot fill the audit table; the log keeps each one's reason.
    """
    log.warning("bank notice refused in %s: %s %s", city_code, reason, detail)
    record = audit_tally if source == "notify" else audit
    record("payment_notice_refused", city=city_code, reason=reason, **detail)
    return "refused"
