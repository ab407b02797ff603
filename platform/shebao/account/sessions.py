"""Server-side sessions: which account a session cookie stands for, and ending sessions.

The signed session cookie carries a random session id (256 bits); the database keeps only its
SHA-256 digest, in an ``AccountSession`` row. Every request checks the row, so a session ended
on one node (logout, password change, an administrator's action) is refused by every node at
once. A session also ends after the city's idle time (``auth.session_idle_minutes``) and its
absolute lifetime (``auth.session_absolute_hours``), checked from the row, and when the account's
session epoch moved on (a password change or reset) or the cookie was made on another city's host.

The service functions here (``open_session``, ``end_current_session``, ``end_sessions``) never
commit; ``load_account``, Flask-Login's user loader, runs as a request hook before any view and
ends the small units of work it needs itself (ending an expired row, the last-seen time).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import g, session
from sqlalchemy import bindparam, select, update

from ..audit import audit
from ..core import time as clock
from ..core.extensions import db
from ..core.transactions import unit_of_work
from ..tenancy.city import City
from ..web.sessions import SEEN_KEY, note_session_ended
from .models import Account, AccountSession

#: The session cookie's key holding the session id.
SESSION_ID_KEY = "sid"
#: ``last_seen_at`` is written at most this often, so pages stay cheap; it is therefore up to
#: this much behind the last request, and the row's idle bound allows for it.
TOUCH_INTERVAL = timedelta(minutes=1)
#: Reasons a row ends with that mean "the password changed" to the resident.
PASSWORD_REASONS = frozenset({"password_changed", "password_reset"})


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def open_session(city: City, account: Account) -> str:
    """A new session row for ``account``; returns the session id for the cookie (only the
    cookie ever holds it)."""
    session_id = secrets.token_urlsafe(32)
    now = clock.utcnow()
    db.session.add(
        AccountSession(
            city=city.code,
            token_digest=_digest(session_id),
            account_id=account.id,
            created_at=now,
            last_seen_at=now,
        )
    )
    return session_id


def find_session(city: City, session_id: str | None) -> AccountSession | None:
    if not session_id or not isinstance(session_id, str):
        return None
    return db.session.scalar(
        select(AccountSession).where(
            AccountSession.city == city.code, AccountSession.token_digest == _digest(session_id)
        )
    )


def _end(row: AccountSession, reason: str, now: datetime) -> bool:
    """End the open session ``row``; False when another request ended it first.

    A conditional UPDATE, so a logout racing an expiry (or two expiring requests) records one
    end, with one reason.
    """
    ended = db.session.execute(
        update(AccountSession)
        .where(AccountSession.id == row.id, AccountSession.ended_at.is_(None))
        .values(ended_at=now, end_reason=reason)
        .execution_options(synchronize_session=False)
    ).rowcount
    return ended == 1


def end_current_session(
    city: City, session_id: str | None, reason: str, account: Account | None = None
) -> None:
    """End the session whose id the cookie holds (logout, exit, renewal at login)."""
    row = find_session(city, session_id)
    if row is not None and _end(row, reason, clock.utcnow()) and account is not None:
        if reason in {"logout", "exit"}:
            audit("logout", city=city.code, account=account, how=reason)


def end_sessions(city: City, account: Account, reason: str) -> int:
    """End every open session of ``account`` at once, on every node; returns how many.

    For a password change or reset (``password_changed``, ``password_reset``) and for an
    administrator's action (``admin``, or any short reason a staff console records).
    """
    ended = db.session.execute(
        update(AccountSession)
        .where(
            AccountSession.city == city.code,
            AccountSession.account_id == account.id,
            AccountSession.ended_at.is_(None),
        )
        .values(ended_at=clock.utcnow(), end_reason=reason)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    audit("sessions_ended", city=city.code, account=account, reason=reason, count=ended)
    return ended


def extend_session(city: City, session_id: str | None) -> bool:
    """The resident asked to stay logged in (the idle warning's button): the open session's
    last-seen time becomes now, even within ``TOUCH_INTERVAL`` of the last write, so its idle
    time starts again from this moment on every node. False when no open session of this city
    has that id (nothing is written then: an ended session is never revived)."""
    if not session_id or not isinstance(session_id, str):
        return False
    touched = db.session.execute(
        update(AccountSession)
        .where(
            AccountSession.city == city.code,
            AccountSession.token_digest == _digest(session_id),
            AccountSession.ended_at.is_(None),
        )
        .values(last_seen_at=clock.utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    return touched == 1


def expiry(city: City, row: AccountSession, seen: int | None, now: datetime) -> str | None:
    """Why the open session ``row`` has expired by ``now`` (``absolute`` or ``idle``), or None.

    ``seen`` is the cookie's exact time of the browser's last request (a POSIX timestamp); the
    row's ``last_seen_at`` is the bound every node enforces, even for a copied cookie.
    """
    auth = city.config.auth
    if now - row.created_at > timedelta(hours=auth.session_absolute_hours):
        return "absolute"
    idle = timedelta(minutes=auth.session_idle_minutes)
    if now - row.last_seen_at > idle + TOUCH_INTERVAL:
        return "idle"
    if seen is None or now.timestamp() - seen > idle.total_seconds():
        return "idle"
    return None


def _resident_reason(end_reason: str | None) -> str:
    """What the resident is told for a row ended with ``end_reason``."""
    if end_reason in PASSWORD_REASONS:
        return "password"
    if end_reason in {"idle", "absolute"}:
        return end_reason
    return "ended"


#: An open session's row and its account, both of the city (built once: every logged-in
#: request asks it).
_SESSION_AND_ACCOUNT = (
    select(AccountSession, Account)
    .join(Account, Account.id == AccountSession.account_id)
    .where(
        AccountSession.city == bindparam("city"),
        AccountSession.token_digest == bindparam("digest"),
        Account.city == bindparam("city"),
    )
)


def load_account(user_id: str):
    """Flask-Login's user loader: the account of an open session of this city, or None (and
    the reason noted for the session guard, which tells the resident)."""
    city = g.get("city")
    account_id, _sep, epoch = (user_id or "").partition(":")
    if city is None or session.get("city") != city.code or not account_id.isdigit():
        return None
    session_id = session.get(SESSION_ID_KEY)
    found = None
    if isinstance(session_id, str) and session_id:
        # One query for the row and its account (both scoped to the request's city).
        found = db.session.execute(
            _SESSION_AND_ACCOUNT, {"city": city.code, "digest": _digest(session_id)}
        ).first()
    if found is None or found[1].id != int(account_id):
        note_session_ended("ended")
        return None
    row, account = found
    if row.ended_at is not None:
        note_session_ended(_resident_reason(row.end_reason))
        return None
    now = clock.utcnow()
    seen = session.get(SEEN_KEY)
    if str(account.session_epoch) != epoch:
        # The password was changed or reset since this session began (the epoch moved on).
        ended = "password_changed"
    else:
        ended = expiry(city, row, seen if isinstance(seen, int) else None, now)
    if ended is not None:
        with unit_of_work():
            if _end(row, ended, now) and ended != "password_changed":
                audit("session_expired", city=city.code, account=account, why=ended)
        note_session_ended(_resident_reason(ended))
        return None
    if now - row.last_seen_at >= TOUCH_INTERVAL:
        with unit_of_work():
            # Conditional, so concurrent requests of one session write it once.
            db.session.execute(
                update(AccountSession)
                .where(
                    AccountSession.id == row.id,
                    AccountSession.last_seen_at <= now - TOUCH_INTERVAL,
                )
                .values(last_seen_at=now)
                .execution_options(synchronize_session=False)
            )
    return account
