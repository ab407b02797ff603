"""Payment orders, their lines (one month of one insurance type), transitions and bank notices.

An order moves through one state machine (see ``states.py``); every move is a row of
``PaymentTransition``. A line "holds" its period while its order is open or paid
(``holds_period`` is true); the unique constraint on (person, type, period, holds_period)
then refuses a second open order for the same month in the database itself, even when two
browser tabs race. Closing an order without payment sets ``holds_period`` to NULL, which
the constraint ignores (NULLs are distinct in SQLite and PostgreSQL alike).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...core.db_types import UTCDateTime
from ...core.extensions import db
from ...core.time import utcnow
from ...tenancy.scoping import CityScoped


class PaymentOrder(CityScoped, db.Model):
    """缴费订单: what a person pays in one go through one bank."""

    __tablename__ = "payment_order"
    __table_args__ = (
        UniqueConstraint("number"),
        # The order management page: a person's orders, newest first.
        Index("ix_payment_order_city_person_created", "city", "person_id", "created_at"),
        # `shebao payments expire`: unfinished orders by age.
        Index("ix_payment_order_status_updated", "status", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    #: flexible, resident_pension or resident_medical.
    kind: Mapped[str] = mapped_column(String(24))
    #: The menu entry the order was started from (flexible or flexible_medical …).
    entry: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    total: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    bank: Mapped[str | None] = mapped_column(String(32))
    #: The bank's transaction id of the payment that paid (or arrived for) this order.
    bank_transaction: Mapped[str | None] = mapped_column(String(64))
    #: Money arrived for an order that was already voided or expired: to be refunded.
    refund_due: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    lines: Mapped[list[PaymentOrderLine]] = relationship(
        back_populates="order",
        cascade="all, delete-orphan",
        order_by="(PaymentOrderLine.insurance_type, PaymentOrderLine.period)",
    )
    transitions: Mapped[list[PaymentTransition]] = relationship(
        cascade="all, delete-orphan", order_by="PaymentTransition.id"
    )


class PaymentOrderLine(CityScoped, db.Model):
    """One month (or, for resident insurances, one year) of one insurance type in an order."""

    __tablename__ = "payment_order_line"
    __table_args__ = (
        UniqueConstraint(
            "person_id",
            "insurance_type",
            "period",
            "holds_period",
            name="uq_payment_order_line_holds_period",
        ),
        Index("ix_payment_order_line_order", "order_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("payment_order.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    insurance_type: Mapped[str] = mapped_column(String(24))
    #: First day of the month paid for (resident insurances: 1 January of the year).
    period: Mapped[date] = mapped_column(Date)
    base: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    #: True while the order is open or paid; NULL once it closed unpaid (frees the period).
    holds_period: Mapped[bool | None] = mapped_column(Boolean, default=True)

    order: Mapped[PaymentOrder] = relationship(back_populates="lines")


class PaymentTransition(CityScoped, db.Model):
    """One move of an order's state, with its time and cause."""

    __tablename__ = "payment_transition"
    __table_args__ = (Index("ix_payment_transition_order", "order_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("payment_order.id", ondelete="CASCADE"))
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    cause: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BankNotification(CityScoped, db.Model):
    """A bank's verified word about a payment, kept once per (bank, transaction).

    The unique constraint makes processing exactly-once: a duplicate notice cannot insert its
    row, so it cannot move the order a second time.
    """

    __tablename__ = "bank_notification"
    __table_args__ = (UniqueConstraint("bank", "transaction_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("payment_order.id", ondelete="CASCADE"))
    bank: Mapped[str] = mapped_column(String(32))
    transaction_id: Mapped[str] = mapped_column(String(64))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    #: paid or declined, as the bank says.
    outcome: Mapped[str] = mapped_column(String(16))
    #: notify (the bank's signed notice) or query (the platform's status query).
    source: Mapped[str] = mapped_column(String(16))
    #: applied, refund (money for a closed order) or ignored (the order had already moved).
    result: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: A payment kept for refund (``result`` refund) once the money went back: when, and the
    #: bank's reference of the refund.
    refunded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    refund_reference: Mapped[str | None] = mapped_column(String(64))
