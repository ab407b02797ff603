"""One-time SMS codes: 6 digits, short-lived, checked a limited number of times, stored hashed.

Every SMS the platform sends is recorded here (a reset-password SMS as a row without a code),
so the per-phone limits (one send per ``resend_seconds``, ``daily_limit`` a day) hold for all.

Nothing here commits: the caller's unit of work keeps the sent code (and each check of a code)
together with the rest of its work. A refused check must still be committed (see
``FailedAttempt``), so that the number of checks stays limited.
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from ..core.extensions import db
from ..core.i18n import label_text
from ..core.time import utcnow
from ..integrations.sms import sms_gateway
from ..tenancy.city import City
from .errors import AccountError
from .models import SmsCode
from .secrets import keyed_digest, numeric_code


def _digest(city: City, phone: str, purpose: str, code: str) -> str:
    return keyed_digest("sms", city.code, phone, purpose, code)


def _check_limits(city: City, phone: str) -> None:
    limits = city.config.auth.sms
    now = utcnow()
    recent = db.session.scalar(
        select(func.count())
        .select_from(SmsCode)
        .where(
            SmsCode.city == city.code,
            SmsCode.phone == phone,
            SmsCode.created_at > now - timedelta(seconds=limits.resend_seconds),
        )
    )
    if recent:
        raise AccountError(
            _(
                "A message was sent to this number moments ago. Please wait %(seconds)s seconds "
                "before asking again.",
                seconds=limits.resend_seconds,
            ),
            field="phone",
        )
    today = db.session.scalar(
        select(func.count())
        .select_from(SmsCode)
        .where(
            SmsCode.city == city.code,
            SmsCode.phone == phone,
            SmsCode.created_at > now - timedelta(days=1),
        )
    )
    if today >= limits.daily_limit:
        raise AccountError(
            _(
                "This number has received the most messages allowed in one day. Please try again tomorrow."
            ),
            field="phone",
        )


def send_code(city: City, phone: str, purpose: str) -> None:
    """Send a new code to ``phone`` (raises AccountError when a limit is reached)."""
    _check_limits(city, phone)
    limits = city.config.auth.sms
    code = numeric_code()
    now = utcnow()
    db.session.add(
        SmsCode(
            city=city.code,
            phone=phone,
            purpose=purpose,
            code_hash=_digest(city, phone, purpose, code),
            created_at=now,
            expires_at=now + timedelta(seconds=limits.code_ttl_seconds),
        )
    )
    db.session.flush()
    minutes = max(1, limits.code_ttl_seconds // 60)
    text = _(
        "[%(portal)s] Your verification code is %(code)s, valid for %(minutes)s minutes. "
        "Do not tell it to anyone.",
        portal=label_text(city.config.name),
        code=code,
        minutes=minutes,
    )
    sms_gateway().send(city.code, phone, text)


def send_message(city: City, phone: str, text: str, purpose: str) -> None:
    """Send a text that carries no code (still counted against the phone's limits)."""
    _check_limits(city, phone)
    now = utcnow()
    db.session.add(
        SmsCode(
            city=city.code,
            phone=phone,
            purpose=purpose,
            code_hash="",
            created_at=now,
            expires_at=now,
            used=True,
        )
    )
    db.session.flush()
    sms_gateway().send(city.code, phone, text)


def verify_code(city: City, phone: str, purpose: str, code: str) -> bool:
    """True once for the newest live code of this phone and purpose; each try counts.

    Both the count and the use are written in the caller's transaction: the caller commits
    them even when it refuses the request (a wrong code).
    """
    code = (code or "").strip()
    latest = db.session.scalars(
        select(SmsCode)
        .where(
            SmsCode.city == city.code,
            SmsCode.phone == phone,
            SmsCode.purpose == purpose,
            SmsCode.used.is_(False),
            SmsCode.expires_at >= utcnow(),
        )
        .order_by(SmsCode.created_at.desc(), SmsCode.id.desc())
        .limit(1)
    ).first()
    if latest is None:
        return False
    max_checks = city.config.auth.sms.max_checks
    counted = db.session.execute(
        update(SmsCode)
        .where(SmsCode.id == latest.id, SmsCode.checks < max_checks, SmsCode.used.is_(False))
        .values(checks=SmsCode.checks + 1),
        execution_options={"synchronize_session": False},
    ).rowcount
    matched = (
        bool(counted) and len(code) == 6 and latest.code_hash == _digest(city, phone, purpose, code)
    )
    if matched:
        matched = bool(
            db.session.execute(
                update(SmsCode)
                .where(SmsCode.id == latest.id, SmsCode.used.is_(False))
                .values(used=True),
                execution_options={"synchronize_session": False},
            ).rowcount
        )
    return matched
