"""Staff actions in the audit log, and the city administrator's view of the log.

Every console action is one ``audit_event`` row (who: ``staff_id`` and the member's roles;
what: the event; on whom: the person; why: the reason; from where: the client address, added
by ``audit``), written in the action's own unit of work. The console can read and export the
log, never change it: no page or service here updates or deletes a row.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from ...audit import AuditEvent, audit
from ...core.extensions import db
from ...core.time import LOCAL_ZONE, to_local
from ...people.models import Person
from ...tenancy.city import City
from ...web.queries import Page, paginate
from ..models import StaffMember
from .errors import StaffError

MAX_REASON = 200


def require_reason(reason: str | None) -> str:
    """The written reason an action needs; StaffError when it is empty."""
    text = " ".join((reason or "").split())
    if not text:
        raise StaffError(_("Write the reason for this action."), "reason")
    if len(text) > MAX_REASON:
        raise StaffError(_("The reason may have at most %(n)s characters.", n=MAX_REASON), "reason")
    return text


def record(event: str, city: City, staff: StaffMember, *, person: Person | None = None, **detail):
    """One staff action in the audit log (in the caller's unit of work)."""
    return audit(
        f"staff.{event}", city=city.code, staff=staff, person=person, role=staff.roles, **detail
    )


def _query(city: City, staff_id: int | None, event: str | None, day: date | None):
    statement = (
        select(AuditEvent, StaffMember.username)
        .outerjoin(
            StaffMember, (StaffMember.id == AuditEvent.staff_id) & (StaffMember.city == city.code)
        )
        .where(AuditEvent.city == city.code, AuditEvent.staff_id.is_not(None))
    )
    if staff_id:
        statement = statement.where(AuditEvent.staff_id == staff_id)
    if event:
        statement = statement.where(AuditEvent.event == event)
    if day:
        start = datetime.combine(day, time(0), LOCAL_ZONE)
        statement = statement.where(
            AuditEvent.created_at >= start, AuditEvent.created_at < start + timedelta(days=1)
        )
    return statement.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())


def log_page(city: City, page: int, per_page: int, *, staff_id=None, event=None, day=None) -> Page:
    return paginate(_query(city, staff_id, event, day), page, per_page, scalars=False)


def events(city: City) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.event)
            .where(AuditEvent.city == city.code, AuditEvent.staff_id.is_not(None))
            .distinct()
            .order_by(AuditEvent.event)
        )
    )


def log_csv(city: City, *, staff_id=None, event=None, day=None) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["time", "staff", "role", "event", "person_id", "reason", "client", "detail"])
    for row, username in db.session.execute(_query(city, staff_id, event, day)):
        detail = dict(row.detail or {})
        writer.writerow(
            [
                to_local(row.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                username or "",
                detail.pop("role", ""),
                row.event,
                row.person_id or "",
                detail.pop("reason", ""),
                row.client_address or "",
                "; ".join(f"{k}={v}" for k, v in sorted(detail.items())),
            ]
        )
    return out.getvalue()
