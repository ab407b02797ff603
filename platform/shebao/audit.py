"""The audit log: who did what, when, from where, in which city. Never a password or code.

Most events get a row each (``audit``). Events that an outsider can repeat at will, such as a
refused bank notification, are tallied instead (``audit_tally``): one row per event, city,
client address and minute, with a count, so a flood adds to a number instead of filling the
table.
"""

from __future__ import annotations

from datetime import datetime

from flask import g, has_request_context, request
from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from .core.batch import upsert_insert
from .core.db_types import UTCDateTime
from .core.extensions import db
from .core.time import utcnow
from .tenancy.scoping import CityScoped

FORBIDDEN_DETAIL_KEYS = {"password", "code", "answer", "captcha", "token", "secret"}


class AuditEvent(CityScoped, db.Model):
    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_city_account_time", "city", "account_id", "created_at"),
        UniqueConstraint("event", "city", "client_address", "tally_minute"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    event: Mapped[str] = mapped_column(String(48), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    #: The staff member who acted (staff console events), else None. A plain number, not a
    #: foreign key: staff members are never deleted, and the audit layer knows no staff table.
    staff_id: Mapped[int | None] = mapped_column(Integer, index=True)
    client_address: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    #: How many times the event happened: 1, or up to any number for a tallied row.
    count: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    #: A tallied row's minute (it counts the event from one client address in that minute);
    #: None for a row of one event.
    tally_minute: Mapped[datetime | None] = mapped_column(UTCDateTime())


def _checked(detail: dict) -> dict:
    leaked = FORBIDDEN_DETAIL_KEYS & {key.lower() for key in detail}
    if leaked:
        raise ValueError(f"audit details must not hold secrets: {sorted(leaked)}")
    return detail


def _current_city(city: str | None) -> str | None:
    if city is None and has_request_context() and g.get("city") is not None:
        return g.city.code
    return city


def _client_address() -> str | None:
    return request.remote_addr if has_request_context() else None


def audit(
    event: str, *, city: str | None = None, account=None, person=None, staff=None, **detail
) -> AuditEvent:
    """Add an audit row to the current transaction (the caller commits with its own work)."""
    _checked(detail)
    city = _current_city(city)
    row = AuditEvent(
        city=city,
        event=event,
        account_id=getattr(account, "id", None),
        person_id=getattr(person, "id", None) or getattr(account, "person_id", None),
        staff_id=getattr(staff, "id", None),
        client_address=_client_address(),
        detail=detail,
    )
    db.session.add(row)
    return row


def audit_tally(event: str, *, city: str | None = None, **detail) -> None:
    """Count one more ``event`` from the request's client address in the current minute.

    The minute's row is created by the first such event (with that event's ``detail``) and
    counted up by the others, in one upsert in the current transaction. Outside a request
    there is no client address, and each event gets a row of its own.
    """
    _checked(detail)
    moment = utcnow()
    table = AuditEvent.__table__
    db.session.execute(
        upsert_insert(table)
        .values(
            city=_current_city(city),
            event=event,
            client_address=_client_address(),
            detail=detail,
            created_at=moment,
            count=1,
            tally_minute=moment.replace(second=0, microsecond=0),
        )
        .on_conflict_do_update(
            index_elements=["event", "city", "client_address", "tally_minute"],
            set_={"count": table.c.count + 1},
        )
    )
