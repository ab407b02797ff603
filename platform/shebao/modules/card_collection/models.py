"""The card application (社保卡信息采集) and the ID photo (照片采集) of a person.

A person has at most one application and one photo in a city (a unique constraint on
(city, person_id)); saving again updates that row. Status of the application: draft →
submitted → accepted | returned (with a reason); the person may edit it until it is accepted.
The photo's review status: pending → approved | rejected (with a reason).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ...core.db_types import UTCDateTime
from ...core.extensions import db
from ...core.time import utcnow
from ...tenancy.scoping import CityScoped

DRAFT, SUBMITTED, ACCEPTED, RETURNED = "draft", "submitted", "accepted", "returned"
APPLICATION_STATUSES = (DRAFT, SUBMITTED, ACCEPTED, RETURNED)
PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
PHOTO_STATUSES = (PENDING, APPROVED, REJECTED)


class CardApplication(CityScoped, db.Model):
    """社保卡申领信息: what the person filled in to have a card made."""

    __tablename__ = "card_application"
    __table_args__ = (UniqueConstraint("city", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default=DRAFT)
    nationality: Mapped[str | None] = mapped_column(String(32))
    #: GB 3304 code of the ethnic group (01 汉族 … 56 基诺族, 97 其他).
    ethnicity: Mapped[str | None] = mapped_column(String(2))
    phone: Mapped[str | None] = mapped_column(String(11))
    address: Mapped[str | None] = mapped_column(String(128))
    occupation: Mapped[str | None] = mapped_column(String(64))
    #: Code of the issuing bank from the city's list.
    bank: Mapped[str | None] = mapped_column(String(32))
    #: The collection point as the city named it (its Chinese text) when it was chosen.
    collection_point: Mapped[str | None] = mapped_column(String(128))
    return_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CardPhoto(CityScoped, db.Model):
    """The person's ID photo: a metadata-free JPEG of the city's size, kept in the storage."""

    __tablename__ = "card_photo"
    __table_args__ = (UniqueConstraint("city", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    #: Storage key (``<city>/photos/<uuid>.jpg``), never a name the user chose.
    storage_key: Mapped[str] = mapped_column(String(128))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    reject_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
