"""One-time SMS codes: 6 digits, short-lived, checked a limited number of times, stored hashed.

Every SMS the platform sends goes through here (a reset-password SMS as a row without a code),
within the city's limits (``auth.sms``): per phone (one message per ``resend_seconds``,
``daily_limit`` in 24 hours), per account (``account_daily_limit``), per client address
(``address_hourly_limit``) and for the whole city (``city_daily_limit``). The limits are
counted in send slots (``sms_limits``), atomically, so they hold however many requests race on
however many workers: the phone's slot is taken first and stays locked until the unit of work
ends, so the same phone's requests take turns, each counting the messages the phone received.

Nothing here commits: the caller's unit of work keeps the sent code (and each check of a code)
together with the rest of its work. A refused check must still be committed (see
``FailedAttempt``), so that the number of checks stays limited.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from ..core.extensions import db
from ..core.i18n import label_text
from ..core.time import utcnow
from ..integrations.sms import send_sms
from ..tenancy.city import City
from .errors import AccountError
from .models import Account, SmsCode
from .secrets import keyed_digest, numeric_code
from .sms_limits import EVER, SendSlots, day_window, hour_window


class SmsLimitReached(AccountError):
    """No message is sent: one of the limits is reached. ``scope`` says which one: phone,
    account, address or city. The message names the limit, never whose phone or account it
    is; where the answer must not tell whether a person exists at all (forgot password), the
    caller answers as if the message had gone out."""

    def __init__(self, message: str, scope: str, field: str | None = None):
        super().__init__(message, field)
        self.scope = scope


def _digest(city: City, phone: str, purpose: str, code: str) -> str:
    return keyed_digest("sms", city.code, phone, purpose, code)


def _sent_since(city: City, phone: str, since: datetime) -> int:
    """How many messages ``phone`` received after ``since``."""
    return db.session.scalar(
        select(func.count())
        .select_from(SmsCode)
        .where(SmsCode.city == city.code, SmsCode.phone == phone, SmsCode.created_at > since)
    )


def _take_limits(city: City, phone: str, account: Account | None, address: str | None) -> None:
    """Count one message against every limit, or raise ``SmsLimitReached`` counting none.

    ``address``: the client address the request came from (behind proxies, as ProxyFix sets
    it), which the view reads; None (a command, a job) counts against no address limit.
    """
    limits = city.config.auth.sms
    now = utcnow()
    slots = SendSlots(city.code)
    try:
        slots.take("phone", phone, EVER, None)
        # The phone's slot is held from here on: no other request for it is past this point
        # until this unit of work ends, so the counts below include every message sent to it.
        if _sent_since(city, phone, now - timedelta(seconds=limits.resend_seconds)):
            raise SmsLimitReached(
                _(
                    "A message was sent to this number moments ago. Please wait %(seconds)s "
                    "seconds before asking again.",
                    seconds=limits.resend_seconds,
                ),
                "phone",
                "phone",
            )
        if _sent_since(city, phone, now - timedelta(days=1)) >= limits.daily_limit:
            raise SmsLimitReached(
                _(
                    "This number has received the most messages allowed in one day. "
                    "Please try again tomorrow."
                ),
                "phone",
                "phone",
            )
        if account is not None and not slots.take(
            "account", str(account.id), day_window(now), limits.account_daily_limit
        ):
            raise SmsLimitReached(
                _(
                    "The most messages allowed in one day have been sent for this account. "
                    "Please try again tomorrow."
                ),
                "account",
            )
        if address and not slots.take(
            "address", address[:64], hour_window(now), limits.address_hourly_limit
        ):
            raise SmsLimitReached(
                _(
                    "Too many text messages have been asked for from your network. "
                    "Please try again in an hour."
                ),
                "address",
            )
        if not slots.take("city", city.code, day_window(now), limits.city_daily_limit):
            raise SmsLimitReached(
                _(
                    "The portal cannot send more text messages today. Please try again "
                    "tomorrow, or ask at a social insurance service hall."
                ),
                "city",
            )
    except SmsLimitReached:
        slots.give_back()
        raise


def _send(
    city: City,
    phone: str,
    text: str,
    purpose: str,
    *,
    account: Account | None,
    address: str | None,
    code_hash: str | None = None,
    valid_until: datetime | None = None,
) -> bool:
    """Count the message against every limit (or raise ``SmsLimitReached``), keep its row and
    send it. ``code_hash``: the code it carries, live for ``code_ttl_seconds``; None: no code
    (the row only counts the message). ``valid_until``: how long a text without a code is
    worth sending (a sent password's validity).

    Returns False when the gateway could not take the text now (it is kept as a dead letter,
    see ``integrations.sms``): the row stays and counts, and the caller tells the resident."""
    _take_limits(city, phone, account, address)
    now = utcnow()
    lifetime = city.config.auth.sms.code_ttl_seconds if code_hash is not None else 0
    db.session.add(
        SmsCode(
            city=city.code,
            phone=phone,
            purpose=purpose,
            code_hash=code_hash or "",
            created_at=now,
            expires_at=now + timedelta(seconds=lifetime),
            used=code_hash is None,
        )
    )
    db.session.flush()
    return send_sms(
        city.code, phone, text, now + timedelta(seconds=lifetime) if lifetime else valid_until
    )


def send_code(
    city: City, phone: str, purpose: str, *, account: Account | None, address: str | None
) -> bool:
    """Send a new code to ``phone`` for ``account`` (None: for someone registering, who has no
    account yet), asked for from ``address``; raises ``SmsLimitReached`` when a limit is
    reached. False: the gateway could not take it now (see ``_send``)."""
    code = numeric_code()
    text = _(
        "[%(portal)s] Your verification code is %(code)s, valid for %(minutes)s minutes. "
        "Do not tell it to anyone.",
        portal=label_text(city.config.name),
        code=code,
        minutes=max(1, city.config.auth.sms.code_ttl_seconds // 60),
    )
    code_hash = _digest(city, phone, purpose, code)
    return _send(city, phone, text, purpose, account=account, address=address, code_hash=code_hash)


def send_message(
    city: City,
    phone: str,
    text: str,
    purpose: str,
    *,
    account: Account | None,
    address: str | None,
    valid_until: datetime | None = None,
) -> bool:
    """Send a text that carries no code, for ``account``, asked for from ``address`` (counted
    against the same limits; raises ``SmsLimitReached``); ``valid_until``: how long it is
    worth sending. False: the gateway could not take it now (see ``_send``)."""
    return _send(
        city, phone, text, purpose, account=account, address=address, valid_until=valid_until
    )


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
