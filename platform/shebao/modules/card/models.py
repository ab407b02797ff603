"""The social security card (社保卡): the person's current card, its processing records
(卡片处理记录) and its swipe records (刷卡记录)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ...core.db_types import UTCDateTime
from ...core.extensions import db
from ...core.time import utcnow
from ...tenancy.scoping import CityScoped


class Card(CityScoped, db.Model):
    """The person's current card: one row per person (a replacement card updates it)."""

    __tablename__ = "card"
    __table_args__ = (UniqueConstraint("person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    card_number: Mapped[str] = mapped_column(String(32))
    #: The issuing (partner) bank's name, as the card office records it (发卡银行).
    bank: Mapped[str] = mapped_column(String(64))
    #: A code of ``vocabulary.CARD_STATUSES``.
    status: Mapped[str] = mapped_column(String(24))
    issued_on: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:  # never the full card number
        return f"<Card {self.city} {self.status}>"


class CardEvent(CityScoped, db.Model):
    """One processing step of a card: applied, made, issued, activated, reported lost …"""

    __tablename__ = "card_event"
    __table_args__ = (
        # The records page: a person's events, newest first.
        Index("ix_card_event_city_person_time", "city", "person_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("card.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    #: A code of ``vocabulary.EVENT_KINDS``.
    kind: Mapped[str] = mapped_column(String(24))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: ``counter`` (a service hall or bank branch, named in ``office``) or ``online``.
    channel: Mapped[str] = mapped_column(String(16), default="counter")
    office: Mapped[str | None] = mapped_column(String(128))


class CardSwipe(CityScoped, db.Model):
    """One use of the card at a hospital, clinic or pharmacy (刷卡记录)."""

    __tablename__ = "card_swipe"
    __table_args__ = (
        # The swipes page: a person's swipes of one month is one index range scan.
        Index("ix_card_swipe_city_person_time", "city", "person_id", "swiped_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    swiped_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: The merchant: hospital, clinic or pharmacy (data, shown as recorded).
    place: Mapped[str] = mapped_column(String(128))
    #: A code of ``vocabulary.SWIPE_KINDS``.
    kind: Mapped[str] = mapped_column(String(24))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
