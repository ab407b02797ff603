"""The rules of payments: creating orders, moving them through the state machine, bank results.

Service functions take the city, the person and the order explicitly; they never read the
request. Every move of an order is one conditional UPDATE (``WHERE status = <what we read>``)
whose row count decides who won a race, followed in the same transaction by the transition
row, the audit row and, for a payment, the contribution records. Bank notices are kept once
per (bank, transaction id) by a unique constraint, so a duplicate can never apply twice.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ...audit import audit
from ...core.extensions import db
from ...core.time import LOCAL_ZONE as LOCAL
from ...core.time import utcnow
from ...integrations.bank import (
    BankError,
    BankNotice,
    InvalidNotification,
    PaymentRequest,
    bank_gateway,
)
from ...people.models import Person
from ...web.queries import Page, paginate
from ..contributions.posting import PaidLine, paid_in_year, paid_periods, post_paid_contributions
from . import amounts
from .amounts import AmountError, Line
from .models import BankNotification, PaymentOrder, PaymentOrderLine, PaymentTransition
from .states import CLOSED_UNPAID, OPEN, OrderStatus, can_move

log = logging.getLogger("shebao.payments")
KINDS = ("flexible", "resident_pension", "resident_medical")


class PaymentRefused(ValueError):
    """A rule refuses the request; ``str(error)`` is the message for the resident."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class NoticeRefused(ValueError):
    """A bank notice that is not applied (bad signature, unknown order, wrong amount)."""


# --- creating orders -----------------------------------------------------------------------


def _new_number(city: str) -> str:
    stamp = utcnow().astimezone(LOCAL).strftime("%Y%m%d%H%M%S")
    return f"{city[:2].upper()}{stamp}{secrets.randbelow(10**8):08d}"


def _check_not_paid(city: str, person: Person, lines: list[Line], yearly: bool) -> None:
    for kind in sorted({line.insurance_type for line in lines}):
        periods = [line.period for line in lines if line.insurance_type == kind]
        if yearly:
            if any(paid_in_year(city, person.id, kind, period.year) for period in periods):
                raise PaymentRefused(
                    _("The contribution for this year has already been paid."), "year"
                )
            continue
        paid = sorted(paid_periods(city, person.id, kind, periods))
        if paid:
            raise PaymentRefused(
                _(
                    "Already paid: %(months)s. Choose other months.",
                    months=", ".join(p.strftime("%Y-%m") for p in paid[:6]),
                ),
                "start",
            )


def _check_not_held(city: str, person: Person, lines: list[Line]) -> None:
    periods = {(line.insurance_type, line.period) for line in lines}
    held = db.session.execute(
        select(PaymentOrderLine.insurance_type, PaymentOrderLine.period).where(
            PaymentOrderLine.city == city,
            PaymentOrderLine.person_id == person.id,
            PaymentOrderLine.holds_period.is_(True),
            PaymentOrderLine.period >= min(p for _kind, p in periods),
            PaymentOrderLine.period <= max(p for _kind, p in periods),
        )
    ).all()
    clash = sorted({period for kind, period in held if (kind, period) in periods})
    if clash:
        raise PaymentRefused(_in_open_order(clash), "start")


def _in_open_order(periods) -> str:
    return _(
        "These months are already in another order: %(months)s. Finish or void that order "
        "first (Orders).",
        months=", ".join(p.strftime("%Y-%m") for p in periods[:6]),
    )


def create_order(
    city: str, person: Person, kind: str, entry: str, lines: list[Line]
) -> PaymentOrder:
    """A new order (created) holding ``lines``; refuses periods paid or in an open order."""
    if kind not in KINDS or not lines:
        raise PaymentRefused(_("Nothing to pay."))
    yearly = kind != "flexible"
    _check_not_paid(city, person, lines, yearly)
    _check_not_held(city, person, lines)
    now = utcnow()
    order = PaymentOrder(
        city=city,
        number=_new_number(city),
        person_id=person.id,
        kind=kind,
        entry=entry,
        status=OrderStatus.CREATED.value,
        total=amounts.total(lines),
        refund_due=False,
        created_at=now,
        updated_at=now,
    )
    order.lines = [
        PaymentOrderLine(
            city=city,
            person_id=person.id,
            insurance_type=line.insurance_type,
            period=line.period,
            base=line.base,
            amount=line.amount,
            holds_period=True,
        )
        for line in lines
    ]
    order.transitions = [
        PaymentTransition(
            city=city, from_status="", to_status=OrderStatus.CREATED.value, cause="resident"
        )
    ]
    db.session.add(order)
    try:
        db.session.flush()
    except IntegrityError:
        # Another tab took one of these months between our check and our insert.
        db.session.rollback()
        raise PaymentRefused(
            _in_open_order(sorted({line.period for line in lines})), "start"
        ) from None
    audit(
        "payment_order_created",
        city=city,
        person=person,
        order=order.number,
        kind=kind,
        total=str(order.total),
    )
    db.session.commit()
    return order


def flexible_order(
    city, person, entry: str, start: date, end: date, types: list[str], base: Decimal, today: date
) -> PaymentOrder:
    options = city.options("payments").flexible
    try:
        lines = amounts.flexible_lines(options, start, end, types, base, today)
    except AmountError as error:
        raise PaymentRefused(str(error), error.field) from None
    return create_order(city.code, person, "flexible", entry, lines)


@dataclass(frozen=True)
class Preview:
    """What a flexible-employment payment would cost, before any order exists."""

    parts: list[Periods]
    total: Decimal


def preview_flexible(
    options, start: date, end: date, types: list[str], base: Decimal, today: date
) -> Preview:
    try:
        lines = amounts.flexible_lines(options, start, end, types, base, today)
    except AmountError as error:
        raise PaymentRefused(str(error), error.field) from None
    return Preview(parts=_periods(lines), total=amounts.total(lines))


def resident_pension_order(city, person, year: int, grade: Decimal) -> PaymentOrder:
    options = city.options("payments").resident_pension
    try:
        line = amounts.resident_pension_line(options, year, grade)
    except AmountError as error:
        raise PaymentRefused(str(error), error.field) from None
    return create_order(city.code, person, "resident_pension", "resident_pension", [line])


def resident_medical_order(city, person, year: int, today: date) -> PaymentOrder:
    options = city.options("payments").resident_medical
    try:
        line = amounts.resident_medical_line(options, year, today)
    except AmountError as error:
        raise PaymentRefused(str(error), error.field) from None
    return create_order(city.code, person, "resident_medical", "resident_medical", [line])


# --- reading orders ------------------------------------------------------------------------


def find_order(city: str, person: Person, number: str) -> PaymentOrder | None:
    """The person's order with this number (never an order by number alone)."""
    if not isinstance(number, str) or not 1 <= len(number) <= 32:
        return None
    return db.session.scalar(
        select(PaymentOrder)
        .where(
            PaymentOrder.city == city,
            PaymentOrder.person_id == person.id,
            PaymentOrder.number == number,
        )
        .execution_options(populate_existing=True)
    )


def orders_page(city: str, person: Person, page: int, per_page: int = 10) -> Page:
    statement = (
        select(PaymentOrder)
        .where(PaymentOrder.city == city, PaymentOrder.person_id == person.id)
        .order_by(PaymentOrder.created_at.desc(), PaymentOrder.id.desc())
    )
    return paginate(statement, page, per_page)


def open_orders(city: str, person: Person) -> list[PaymentOrder]:
    return list(
        db.session.scalars(
            select(PaymentOrder)
            .where(
                PaymentOrder.city == city,
                PaymentOrder.person_id == person.id,
                PaymentOrder.status.in_([s.value for s in OPEN]),
            )
            .order_by(PaymentOrder.created_at.desc())
        )
    )


@dataclass(frozen=True)
class Periods:
    insurance_type: str
    first: date
    last: date
    months: int
    base: Decimal
    amount: Decimal


def summarise(order: PaymentOrder) -> list[Periods]:
    """The order's lines per insurance type: first and last period, count, base and total."""
    return _periods([Line(x.insurance_type, x.period, x.base, x.amount) for x in order.lines])


def _periods(lines: list[Line]) -> list[Periods]:
    result = []
    for kind in dict.fromkeys(line.insurance_type for line in lines):
        own = [line for line in lines if line.insurance_type == kind]
        result.append(
            Periods(
                insurance_type=kind,
                first=min(line.period for line in own),
                last=max(line.period for line in own),
                months=len(own),
                base=own[0].base,
                amount=amounts.total(own),
            )
        )
    return result


# --- moving orders -------------------------------------------------------------------------


def _move(order: PaymentOrder, target: OrderStatus, cause: str, **values) -> bool:
    """Move ``order`` to ``target`` if its current state allows it; True when this call did.

    One conditional UPDATE per attempt; when another transaction moved the order first, the
    state is read again and the rule checked again.
    """
    for _attempt in range(4):
        current = db.session.scalar(
            select(PaymentOrder.status).where(
                PaymentOrder.id == order.id, PaymentOrder.city == order.city
            )
        )
        if current is None or not can_move(current, target):
            return False
        now = utcnow()
        result = db.session.execute(
            update(PaymentOrder)
            .where(
                PaymentOrder.id == order.id,
                PaymentOrder.city == order.city,
                PaymentOrder.status == current,
            )
            .values(status=target.value, updated_at=now, **values)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            db.session.add(
                PaymentTransition(
                    city=order.city,
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
                    .where(
                        PaymentOrderLine.order_id == order.id,
                        PaymentOrderLine.city == order.city,
                    )
                    .values(holds_period=None)
                    .execution_options(synchronize_session=False)
                )
            audit(
                f"payment_order_{target.value}",
                city=order.city,
                person=SimpleNamespace(id=order.person_id),
                order=order.number,
                cause=cause[:64],
            )
            return True
    return False


def _reload(order: PaymentOrder) -> PaymentOrder:
    db.session.refresh(order)
    return order


def confirm(order: PaymentOrder) -> bool:
    moved = _move(order, OrderStatus.CONFIRMED, "resident")
    db.session.commit()
    _reload(order)
    return moved


def void(order: PaymentOrder, cause: str = "resident") -> bool:
    moved = _move(order, OrderStatus.VOIDED, cause)
    db.session.commit()
    _reload(order)
    return moved


def start_payment(
    order: PaymentOrder,
    bank: str,
    bank_codes: list[str],
    return_path: str,
    notify_path: str | None = None,
) -> str:
    """Confirmed → paying with the chosen bank; returns where to send the browser."""
    if bank not in bank_codes:
        raise PaymentRefused(_("Choose a bank from the list."), "bank")
    gateway = bank_gateway()
    if order.status == OrderStatus.PAYING and order.bank == bank:
        moved = True  # paying again at the same bank after coming back without paying
    else:
        moved = _move(order, OrderStatus.PAYING, "resident", bank=bank)
    if not moved:
        db.session.rollback()
        raise PaymentRefused(_("This order can no longer be paid."))
    try:
        url = gateway.start_payment(
            PaymentRequest(
                order.city,
                bank,
                order.number,
                order.total,
                return_path,
                notify_path=notify_path,
            )
        )
    except BankError as error:
        db.session.rollback()
        log.warning("bank %s refused to start payment of %s: %s", bank, order.number, error)
        raise PaymentRefused(
            _("Online payment is not available at the moment. Please try again later.")
        ) from None
    db.session.commit()
    _reload(order)
    return url


# --- bank results --------------------------------------------------------------------------


def _refuse(city: str, reason: str, **detail) -> NoticeRefused:
    log.warning("bank notice refused in %s: %s %s", city, reason, detail)
    db.session.rollback()
    audit("payment_notice_refused", city=city, reason=reason, **detail)
    db.session.commit()
    return NoticeRefused(reason)


def handle_notification(city: str, bank: str, body: bytes, signature: str) -> str:
    """Verify and apply one bank notification; returns applied, refund, ignored or duplicate.

    Raises ``NoticeRefused`` (logged and audited) for a bad signature, a malformed body, an
    unknown order or a wrong amount.
    """
    try:
        notice = bank_gateway().verify_notification(bank, body, signature)
    except InvalidNotification as error:
        raise _refuse(city, str(error), bank=bank[:32]) from None
    if notice.city != city:
        raise _refuse(city, "notification for another city", bank=bank)
    return apply_bank_result(notice, source="notify")


def apply_bank_result(notice: BankNotice, source: str) -> str:
    """Apply what the bank says about one payment, exactly once per transaction id."""
    order = db.session.scalar(
        select(PaymentOrder)
        .where(PaymentOrder.city == notice.city, PaymentOrder.number == notice.order_number)
        .execution_options(populate_existing=True)
    )
    if order is None:
        raise _refuse(notice.city, "unknown order", order=notice.order_number)
    if notice.amount != order.total:
        raise _refuse(
            notice.city,
            "wrong amount",
            order=order.number,
            amount=str(notice.amount),
            expected=str(order.total),
        )
    if order.bank is not None and notice.bank != order.bank:
        raise _refuse(notice.city, "wrong bank", order=order.number, bank=notice.bank)
    record = BankNotification(
        city=order.city,
        order_id=order.id,
        bank=notice.bank,
        transaction_id=notice.transaction_id,
        amount=notice.amount,
        outcome=notice.outcome,
        source=source,
        result="ignored",
    )
    db.session.add(record)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return "duplicate"
    if notice.outcome == "paid":
        if _move(
            order,
            OrderStatus.PAID,
            f"bank {source}",
            paid_at=utcnow(),
            bank_transaction=notice.transaction_id,
        ):
            _post(order)
            record.result = "applied"
        else:
            _reload(order)
            if order.status != OrderStatus.PAID or order.bank_transaction != notice.transaction_id:
                # Money for an order that is closed (or paid by another payment): keep, refund.
                record.result = "refund"
                db.session.execute(
                    update(PaymentOrder)
                    .where(PaymentOrder.id == order.id, PaymentOrder.city == order.city)
                    .values(refund_due=True)
                    .execution_options(synchronize_session=False)
                )
                audit(
                    "payment_refund_due",
                    city=order.city,
                    person=SimpleNamespace(id=order.person_id),
                    order=order.number,
                    transaction=notice.transaction_id,
                    amount=str(notice.amount),
                    status=order.status,
                )
                log.warning("payment for closed order %s kept for refund", order.number)
    elif _move(order, OrderStatus.FAILED, f"bank {source}"):
        record.result = "applied"
    db.session.commit()
    _reload(order)
    return record.result


def _post(order: PaymentOrder) -> None:
    lines = db.session.scalars(
        select(PaymentOrderLine).where(
            PaymentOrderLine.order_id == order.id, PaymentOrderLine.city == order.city
        )
    ).all()
    post_paid_contributions(
        order.city,
        order.person_id,
        [PaidLine(line.insurance_type, line.period, line.base, line.amount) for line in lines],
    )


def check_with_bank(order: PaymentOrder) -> str:
    """The platform's status query (Dezhou's 支付成功 / 支付失败, and the expiry run).

    Returns the order's status afterwards, or ``unknown`` when the bank has no payment.
    """
    if order.status != OrderStatus.PAYING or order.bank is None:
        return order.status
    status = bank_gateway().query_status(order.city, order.bank, order.number)
    if status.notice is None:
        return "unknown"
    try:
        apply_bank_result(status.notice, source="query")
    except NoticeRefused:
        return "unknown"
    _reload(order)
    return order.status


# --- expiry --------------------------------------------------------------------------------


@dataclass
class ExpiryResult:
    expired: int = 0
    paid: int = 0
    failed: int = 0


def expire_stale_orders(city, now: datetime | None = None) -> ExpiryResult:
    """Expire the city's unfinished orders older than its ``order_ttl_minutes``; orders stuck
    in paying are first checked with the bank. Safe to run on several nodes at once: every
    move is a conditional update."""
    options = city.options("payments")
    now = now or utcnow()
    cutoff = now - timedelta(minutes=options.order_ttl_minutes)
    result = ExpiryResult()
    numbers = db.session.scalars(
        select(PaymentOrder.number).where(
            PaymentOrder.city == city.code,
            PaymentOrder.status.in_([s.value for s in OPEN]),
            PaymentOrder.updated_at < cutoff,
        )
    ).all()
    for number in numbers:
        order = db.session.scalar(
            select(PaymentOrder)
            .where(PaymentOrder.city == city.code, PaymentOrder.number == number)
            .execution_options(populate_existing=True)
        )
        if order is None or order.status not in OPEN:
            continue
        if order.status == OrderStatus.PAYING:
            after = check_with_bank(order)
            if after == OrderStatus.PAID:
                result.paid += 1
                continue
            if after == OrderStatus.FAILED:
                result.failed += 1
                continue
        if _move(order, OrderStatus.EXPIRED, "expiry"):
            result.expired += 1
        db.session.commit()
    return result


def count_open(city: str) -> int:
    return db.session.scalar(
        select(func.count(PaymentOrder.id)).where(
            PaymentOrder.city == city, PaymentOrder.status.in_([s.value for s in OPEN])
        )
    )


@dataclass(frozen=True)
class RefundDue:
    order_number: str
    bank: str
    transaction_id: str
    amount: Decimal
    status: str


def refunds_due(city: str) -> list[RefundDue]:
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
        .where(BankNotification.city == city, BankNotification.result == "refund")
        .order_by(BankNotification.received_at)
    ).all()
    return [RefundDue(*row) for row in rows]
