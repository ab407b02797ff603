"""A message to one resident: its kind, the values its text needs, where the resident acts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db_types import UTCDateTime
from ..core.extensions import db
from ..core.time import utcnow
from ..tenancy.scoping import CityScoped


class Message(CityScoped, db.Model):
    """One event told to one person. ``dedupe_key`` makes posting the same event twice (a
    bank notification retried) keep one message: unique per city and person."""

    __tablename__ = "message"
    __table_args__ = (
        UniqueConstraint("city", "person_id", "dedupe_key"),
        # The person's messages newest first, and their unread count: one index range each.
        Index("ix_message_city_person_created", "city", "person_id", "created_at"),
        Index("ix_message_city_person_read", "city", "person_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    #: A ``MessageKind`` code.
    kind: Mapped[str] = mapped_column(String(32))
    #: The values the kind's text names (strings and numbers only).
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: Where the resident acts on it: an endpoint and its URL values (None: nowhere).
    link_endpoint: Mapped[str | None] = mapped_column(String(64))
    link_values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    dedupe_key: Mapped[str | None] = mapped_column(String(96))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: What became of the copy by SMS: sent, limited, no_phone; None when the city sends none.
    sms: Mapped[str | None] = mapped_column(String(16))
