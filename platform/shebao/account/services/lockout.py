"""Failure counts per user name and purpose (login, recovery), and the lock at the limit.

The subject is an HMAC of the ID number as typed, so unknown ID numbers lock too and the
table tells nothing about who has an account.

Counting is one conditional upsert (``INSERT … ON CONFLICT DO UPDATE SET failures = failures
+ 1 … WHERE not locked RETURNING``): the database counts, so however many wrong passwords for
one ID number arrive at once, on however many workers, exactly ``max_failures`` are counted
and every later one is answered "locked". Nothing is written before a failure, so a login
holds no lock while its password hash is computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import case, literal, or_, select, update

from ...audit import audit
from ...core.batch import upsert_insert
from ...core.db_types import UTCDateTime
from ...core.extensions import db
from ...core.time import utcnow
from ...tenancy.city import City
from ..errors import LockedOut
from ..models import LoginThrottle
from ..secrets import keyed_digest


@dataclass(frozen=True)
class Throttle:
    """Whose failures these are, and the lock as read at the start of the attempt."""

    city: str
    purpose: str
    subject: str
    locked_until: datetime | None


def _key(throttle: Throttle):
    return (
        LoginThrottle.city == throttle.city,
        LoginThrottle.purpose == throttle.purpose,
        LoginThrottle.subject == throttle.subject,
    )


def throttle_for(city: City, purpose: str, id_number: str) -> Throttle:
    """The failure count of this ID number for ``purpose`` (a row appears at the first failure)."""
    subject = keyed_digest(purpose, city.code, (id_number or "").strip().upper())
    throttle = Throttle(city.code, purpose, subject, None)
    locked_until = db.session.scalar(select(LoginThrottle.locked_until).where(*_key(throttle)))
    return Throttle(city.code, purpose, subject, locked_until)


def _locked_message(until: datetime) -> str:
    return _(
        "Too many failed attempts. This account is locked until %(time)s. Please try again then.",
        time=format_datetime(until, "yyyy-MM-dd HH:mm"),
    )


def _refuse_while_locked(throttle: Throttle, now: datetime) -> None:
    """Raise ``LockedOut`` if the lock holds now (as the database says at this moment)."""
    until = db.session.scalar(select(LoginThrottle.locked_until).where(*_key(throttle)))
    if until is not None and until > now:
        raise LockedOut(_locked_message(until), until)


def check_not_locked(throttle: Throttle, now: datetime) -> None:
    """Refuse while the lock lasts (before any password or answer is even looked at)."""
    if throttle.locked_until and throttle.locked_until > now:
        raise LockedOut(_locked_message(throttle.locked_until), throttle.locked_until)


def count_failure(
    city: City, throttle: Throttle, now: datetime, event: str, **audit_fields
) -> None:
    """Count a failed attempt (locking at the limit) and audit it.

    Raises ``LockedOut`` when this failure reached the limit, or when another attempt locked
    the account meanwhile (then this one is not counted); otherwise the caller raises its own
    ``FailedAttempt``, so the view commits the count before it shows the refusal.
    """
    lockout = city.config.auth.lockout
    until = now + timedelta(minutes=lockout.minutes)
    table = LoginThrottle.__table__
    first_locks = lockout.max_failures <= 1
    reaches_limit = table.c.failures + 1 >= lockout.max_failures
    statement = (
        upsert_insert(table)
        .values(
            city=throttle.city,
            purpose=throttle.purpose,
            subject=throttle.subject,
            failures=0 if first_locks else 1,
            locked_until=until if first_locks else None,
        )
        .on_conflict_do_update(
            index_elements=["city", "purpose", "subject"],
            set_={
                "failures": case((reaches_limit, 0), else_=table.c.failures + 1),
                "locked_until": case(
                    (reaches_limit, literal(until, UTCDateTime())),
                    else_=literal(None, UTCDateTime()),
                ),
            },
            where=or_(table.c.locked_until.is_(None), table.c.locked_until <= now),
        )
        .returning(table.c.locked_until)
    )
    counted = db.session.execute(statement).first()
    if counted is None:  # locked by another attempt since this one began: not counted
        _refuse_while_locked(throttle, now)
        return
    audit(event, city=city.code, **audit_fields)
    if counted.locked_until is not None:
        audit(
            f"{event.split('_')[0]}_locked",
            city=city.code,
            **{k: v for k, v in audit_fields.items() if k in ("account", "person")},
        )
        raise LockedOut(_locked_message(counted.locked_until), counted.locked_until)


def clear_failures(throttle: Throttle) -> None:
    """A success forgets the failures before it, unless another attempt has just locked the
    account (then the success is refused too: the lock holds whatever the timing)."""
    now = utcnow()
    db.session.execute(
        update(LoginThrottle)
        .where(
            *_key(throttle),
            or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until <= now),
        )
        .values(failures=0, locked_until=None)
        .execution_options(synchronize_session=False)
    )
    _refuse_while_locked(throttle, now)


def unlock(city: City, id_number: str) -> bool:
    """Lift the login and recovery locks of this ID number (the service hall's help);
    True when there was a lock or a failure count to clear."""
    cleared = 0
    for purpose in ("login", "recover"):
        throttle = throttle_for(city, purpose, id_number)
        cleared += db.session.execute(
            update(LoginThrottle)
            .where(
                *_key(throttle),
                or_(LoginThrottle.failures > 0, LoginThrottle.locked_until.isnot(None)),
            )
            .values(failures=0, locked_until=None)
            .execution_options(synchronize_session=False)
        ).rowcount
    return cleared > 0


def locked_until(city: City, id_number: str) -> datetime | None:
    """Until when the login of this ID number is locked, or None."""
    until = throttle_for(city, "login", id_number).locked_until
    return until if until is not None and until > utcnow() else None
