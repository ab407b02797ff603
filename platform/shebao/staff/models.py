"""Staff members of a city's service hall, their sessions, and the city's announcements."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db_types import UTCDateTime
from ..core.extensions import db
from ..core.time import utcnow
from ..tenancy.scoping import CityScoped

#: Every role, in the order pages list them. A staff member may hold several.
REVIEWER, SERVICE, FINANCE, EDITOR, ADMIN = "reviewer", "service", "finance", "editor", "admin"
ROLES = (REVIEWER, SERVICE, FINANCE, EDITOR, ADMIN)


class StaffMember(CityScoped, db.Model):
    """A service-hall employee's login in one city.

    ``totp_secret`` is the base32 TOTP key (RFC 6238) shared with the member's authenticator
    app; it must be readable to check a code, so it is the one secret here not hashed.
    ``totp_last_step`` is the time step of the last code accepted: a code is accepted only for
    a later step (a conditional UPDATE), so a code is never used twice, not even by two
    requests at once. Until enrolment (``enrolled_at``) the member has no password: an
    enrolment code (hashed, valid ``ENROLMENT_VALID``) lets them choose one and add the key to
    their app.
    """

    __tablename__ = "staff_member"
    __table_args__ = (UniqueConstraint("city", "username"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(32))
    display_name: Mapped[str] = mapped_column(String(64))
    #: Comma-separated roles from ``ROLES``.
    roles: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    totp_secret: Mapped[str] = mapped_column(String(64))
    totp_last_step: Mapped[int] = mapped_column(Integer, default=0)
    enrolment_hash: Mapped[str | None] = mapped_column(String(255))
    enrolment_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Bumped when the member is deactivated or re-enrolled: older sessions end.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def role_set(self) -> frozenset[str]:
        return frozenset(role for role in (self.roles or "").split(",") if role)

    def has_role(self, role: str) -> bool:
        return role in self.role_set


class StaffSession(CityScoped, db.Model):
    """One logged-in staff session; the cookie holds a random id, this row its SHA-256."""

    __tablename__ = "staff_session"
    __table_args__ = (
        UniqueConstraint("token_digest"),
        Index("ix_staff_session_city_staff", "city", "staff_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_digest: Mapped[str] = mapped_column(String(64))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id", ondelete="CASCADE"))
    epoch: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    end_reason: Mapped[str | None] = mapped_column(String(32))


class Announcement(CityScoped, db.Model):
    """通知公告: a city's announcement, in both languages, shown within its window.

    The Markdown source is kept for editing; the HTML shown is rendered and sanitised once,
    when saved (``services.announcements``).
    """

    __tablename__ = "announcement"
    __table_args__ = (Index("ix_announcement_city_window", "city", "publish_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title_zh: Mapped[str] = mapped_column(String(120))
    title_en: Mapped[str] = mapped_column(String(120))
    body_zh: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str] = mapped_column(Text)
    html_zh: Mapped[str] = mapped_column(Text)
    html_en: Mapped[str] = mapped_column(Text)
    publish_from: Mapped[datetime] = mapped_column(UTCDateTime())
    publish_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
