"""Staff sessions: a cookie of their own, rows of their own.

Built beside the residents' session machinery (``web/sessions.py``, ``account/sessions.py``),
not on it: the staff cookie (``shebao_staff``, path ``/staff``, HttpOnly, SameSite=Strict)
holds a random session id; the ``staff_session`` row holds its SHA-256 and the city. So a
resident's session cookie never logs anyone into the console, a staff cookie never logs
anyone into the residents' pages, and a staff cookie presented on another city's host finds
no row there. A session ends at logout, after ``staff.session_idle_minutes`` without a
request, after ``staff.session_absolute_hours``, and when the member is deactivated or
re-enrolled (the member's session epoch moves on).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from ..core import time as clock
from ..core.extensions import db
from ..tenancy.city import City
from .models import StaffMember, StaffSession

COOKIE = "shebao_staff"
COOKIE_PATH = "/staff"
TOUCH_INTERVAL = timedelta(minutes=1)


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def open_session(city: City, member: StaffMember) -> str:
    """A new session row (in the caller's unit of work); returns the id for the cookie."""
    session_id = secrets.token_urlsafe(32)
    now = clock.utcnow()
    db.session.add(
        StaffSession(
            city=city.code,
            token_digest=_digest(session_id),
            staff_id=member.id,
            epoch=member.session_epoch or 0,
            created_at=now,
            last_seen_at=now,
        )
    )
    return session_id


def end_session(city: City, session_id: str | None, reason: str) -> None:
    if not session_id:
        return
    db.session.execute(
        update(StaffSession)
        .where(
            StaffSession.city == city.code,
            StaffSession.token_digest == _digest(session_id),
            StaffSession.ended_at.is_(None),
        )
        .values(ended_at=clock.utcnow(), end_reason=reason)
        .execution_options(synchronize_session=False)
    )


def load(city: City, session_id: str | None) -> tuple[StaffMember | None, str | None]:
    """(the member of this open session of ``city``, None) or (None, why it is refused:
    ``unknown``, ``ended``, ``idle``, ``absolute``). Writes (an expiry, the last-seen time)
    are left in the session for the caller to commit."""
    if not session_id or not isinstance(session_id, str) or len(session_id) > 100:
        return None, None
    found = db.session.execute(
        select(StaffSession, StaffMember)
        .join(StaffMember, StaffMember.id == StaffSession.staff_id)
        .where(
            StaffSession.city == city.code,
            StaffSession.token_digest == _digest(session_id),
            StaffMember.city == city.code,
        )
    ).first()
    if found is None:
        return None, "unknown"
    row, member = found
    if row.ended_at is not None:
        return None, "ended"
    now = clock.utcnow()
    config = city.config.staff
    reason = None
    if not member.active or row.epoch != (member.session_epoch or 0):
        reason = "ended"
    elif now - row.created_at > timedelta(hours=config.session_absolute_hours):
        reason = "absolute"
    elif now - row.last_seen_at > timedelta(minutes=config.session_idle_minutes):
        reason = "idle"
    if reason is not None:
        row.ended_at, row.end_reason = now, reason
        return None, reason
    if now - row.last_seen_at >= TOUCH_INTERVAL:
        row.last_seen_at = now
    return member, None


def set_cookie(response, session_id: str) -> None:
    settings = current_app.config["SHEBAO_SETTINGS"]
    response.set_cookie(
        COOKIE,
        session_id,
        path=COOKIE_PATH,
        httponly=True,
        secure=settings.production,
        samesite="Strict",
    )


def clear_cookie(response) -> None:
    response.delete_cookie(COOKIE, path=COOKIE_PATH)
