"""The audit log: who did what, when, from where, in which city. Never a password or code."""

from __future__ import annotations

from datetime import datetime

from flask import g, has_request_context, request
from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .core.db_types import UTCDateTime
from .core.extensions import db
from .core.time import utcnow
from .tenancy.scoping import CityScoped

FORBIDDEN_DETAIL_KEYS = {"password", "code", "answer", "captcha", "token", "secret"}


class AuditEvent(CityScoped, db.Model):
    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_city_account_time", "city", "account_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    event: Mapped[str] = mapped_column(String(48), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    client_address: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


def audit(
    event: str, *, city: str | None = None, account=None, person=None, **detail
) -> AuditEvent:
    """Add an audit row to the current transaction (the caller commits with its own work)."""
    leaked = FORBIDDEN_DETAIL_KEYS & {key.lower() for key in detail}
    if leaked:
        raise ValueError(f"audit details must not hold secrets: {sorted(leaked)}")
    if city is None and has_request_context() and g.get("city") is not None:
        city = g.city.code
    row = AuditEvent(
        city=city,
        event=event,
        account_id=getattr(account, "id", None),
        person_id=getattr(person, "id", None) or getattr(account, "person_id", None),
        client_address=request.remote_addr if has_request_context() else None,
        detail=detail,
    )
    db.session.add(row)
    return row
