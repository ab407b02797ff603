"""Benefit payments (待遇发放): one row per person, benefit type and month, with its items."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...core.extensions import db
from ...tenancy.scoping import CityScoped


class BenefitPayment(CityScoped, db.Model):
    """One payment of one benefit for one month (待遇所属年月).

    ``total`` is the sum of its items.
    """

    __tablename__ = "benefit_payment"
    __table_args__ = (
        UniqueConstraint("person_id", "benefit_type", "period"),
        # The benefit pages: a person's payments of one type in a year or month is one range scan.
        Index(
            "ix_benefit_payment_city_person_type_period",
            "city",
            "person_id",
            "benefit_type",
            "period",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    #: pension, unemployment, work_injury, maternity or medical (``BenefitType``).
    benefit_type: Mapped[str] = mapped_column(String(16))
    #: The month the payment is for: always the first day of that month.
    period: Mapped[date] = mapped_column(Date)
    paid_on: Mapped[date] = mapped_column(Date)
    total: Mapped[Decimal] = mapped_column(Numeric(12, 2))

    items: Mapped[list[BenefitItem]] = relationship(
        back_populates="payment", cascade="all, delete-orphan", order_by="BenefitItem.position"
    )


class BenefitItem(CityScoped, db.Model):
    """One item of a payment.

    E.g. 基本养老金, 过渡性养老金, 调整金; 失业保险金; 生育津贴; 统筹支付.
    """

    __tablename__ = "benefit_item"
    __table_args__ = (UniqueConstraint("payment_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("benefit_payment.id", ondelete="CASCADE"))
    #: Order of the items within the payment, as the benefit office lists them.
    position: Mapped[int] = mapped_column(Integer)
    #: The item's name as the benefit office records it (data; known names are translated).
    name: Mapped[str] = mapped_column(String(64))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))

    payment: Mapped[BenefitPayment] = relationship(back_populates="items")
