"""One month's contribution of one person to one insurance type."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Index, Numeric, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from ...core.db_types import UTCDateTime
from ...core.extensions import db
from ...tenancy.scoping import CityScoped

#: The payer of contributions a person pays without an employer (flexible employment,
#: residents). Stored as written in the records; pages show it translated.
SELF_PAYER = "个人缴费"


class ContributionStatus(StrEnum):
    PAID = "paid"  # 已缴费
    ARREARS = "arrears"  # 欠费
    REFUNDED = "refunded"  # 已退费

    @property
    def label(self):
        return STATUS_LABELS[self]


STATUS_LABELS = {
    ContributionStatus.PAID: _l("Paid"),
    ContributionStatus.ARREARS: _l("In arrears"),
    ContributionStatus.REFUNDED: _l("Refunded"),
}


class Contribution(CityScoped, db.Model):
    """缴费记录: one row per (person, insurance type, month).

    ``period`` is the first day of the month the contribution is for. Amounts are in yuan:
    ``individual`` is what the person paid (a flexible-employment month: the whole 20 %),
    ``employer`` the employer's part (for residents: the government subsidy). What a pension
    month credits to the personal account is not stored: the pension account computes it from
    the city's ``account_credit`` rule.
    """

    __tablename__ = "contribution"
    __table_args__ = (
        UniqueConstraint("person_id", "insurance_type", "period"),
        # A person's rows of one type, by period: the history page's one index range scan.
        Index(
            "ix_contribution_city_person_type_period",
            "city",
            "person_id",
            "insurance_type",
            "period",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    insurance_type: Mapped[str] = mapped_column(String(24))
    period: Mapped[date] = mapped_column(Date)
    base: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    individual: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    employer: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    status: Mapped[str] = mapped_column(String(16))
    payer: Mapped[str] = mapped_column(String(128))
    #: When the row was recorded. Filled by the database (bulk loads write millions of rows,
    #: and a per-row Python default would cost more than the rest of the row).
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), server_default=func.current_timestamp()
    )
    #: The city, without CityScoped's index of its own: the four-column index above begins
    #: with it, and the largest table should not keep two (migration 0016). Declared last,
    #: where CityScoped puts it: bulk inserts name the columns in the table's order.
    city: Mapped[str] = mapped_column(String(32), nullable=False)

    @property
    def status_label(self) -> str:
        try:
            return str(ContributionStatus(self.status).label)
        except ValueError:
            return self.status

    @property
    def self_paid(self) -> bool:
        return self.payer == SELF_PAYER
