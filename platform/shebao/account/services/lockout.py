"""Failure counts per user name and purpose (login, recovery), and the lock at the limit.

The subject is an HMAC of the ID number as typed, so unknown ID numbers lock too and the
table tells nothing about who has an account.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...audit import audit
from ...core.extensions import db
from ...tenancy.city import City
from ..errors import LockedOut
from ..models import LoginThrottle
from ..secrets import keyed_digest


def throttle_for(city: City, purpose: str, id_number: str) -> LoginThrottle:
    """The failure count of this ID number for ``purpose`` (created at the first attempt)."""
    subject = keyed_digest(purpose, city.code, (id_number or "").strip().upper())
    query = select(LoginThrottle).where(
        LoginThrottle.city == city.code,
        LoginThrottle.purpose == purpose,
        LoginThrottle.subject == subject,
    )
    row = db.session.scalars(query).first()
    if row is None:
        row = LoginThrottle(city=city.code, purpose=purpose, subject=subject, failures=0)
        try:
            with db.session.begin_nested():
                db.session.add(row)
        except IntegrityError:  # another request created it at the same moment
            row = db.session.scalars(query).one()
    return row


def _locked_message(until: datetime) -> str:
    return _(
        "Too many failed attempts. This account is locked until %(time)s. Please try again then.",
        time=format_datetime(until, "yyyy-MM-dd HH:mm"),
    )


def check_not_locked(throttle: LoginThrottle, now: datetime) -> None:
    """Refuse while the lock lasts (before any password or answer is even looked at)."""
    if throttle.locked_until and throttle.locked_until > now:
        raise LockedOut(_locked_message(throttle.locked_until), throttle.locked_until)


def count_failure(
    city: City, throttle: LoginThrottle, now: datetime, event: str, **audit_fields
) -> None:
    """Count a failed attempt (locking at the limit) and audit it.

    Raises ``LockedOut`` when this failure reached the limit; otherwise the caller raises its
    own ``FailedAttempt``, so the view commits the count before it shows the refusal.
    """
    lockout = city.config.auth.lockout
    throttle.failures = (throttle.failures or 0) + 1
    locked = throttle.failures >= lockout.max_failures
    if locked:
        throttle.locked_until = now + timedelta(minutes=lockout.minutes)
        throttle.failures = 0
    audit(event, city=city.code, **audit_fields)
    if locked:
        audit(
            f"{event.split('_')[0]}_locked",
            city=city.code,
            **{k: v for k, v in audit_fields.items() if k in ("account", "person")},
        )
        raise LockedOut(_locked_message(throttle.locked_until), throttle.locked_until)


def clear_failures(throttle: LoginThrottle) -> None:
    """A success forgets the failures before it."""
    throttle.failures = 0
    throttle.locked_until = None
