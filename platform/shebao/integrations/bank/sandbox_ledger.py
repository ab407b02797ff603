"""The sandbox bank's ledger: one row per payment the platform opened at the simulated bank.

In the database, not in a process's memory, so that every worker and node sees the same
bank: the sandbox page opened on one node, the notification posted by a worker, the status
query of ``shebao payments expire`` on a third. The sandbox is development and tests only
(production refuses it); the table exists everywhere and stays empty there.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ...core.db_types import UTCDateTime
from ...core.extensions import db


class SandboxPayment(db.Model):
    __tablename__ = "sandbox_bank_payment"
    __table_args__ = (UniqueConstraint("city", "bank", "order_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    city: Mapped[str] = mapped_column(String(32), index=True)
    bank: Mapped[str] = mapped_column(String(32))
    order_number: Mapped[str] = mapped_column(String(64))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    #: Where the bank sends the browser back to, and posts its notification (paths on the
    #: city's host), as the platform asked.
    return_path: Mapped[str] = mapped_column(String(200))
    notify_path: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: paid or declined once the tester chose; None while the payment is open.
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)
    transaction_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
