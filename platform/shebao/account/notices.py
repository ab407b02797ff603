"""What the accounts give the message centre: its SMS sender, and new-device logins.

``text_resident`` is the sender ``shebao.messages`` calls for a kind the city sends by SMS
(installed by the app factory): it texts the account's reserved mobile (else the person's)
through ``sms_codes.send_message``, so the message counts against the city's SMS limits (the
phone's resend time and daily limit, the account's and the city's) and goes out through the
job queue. A refused text leaves the message in the message centre only.

``recognise_device`` keeps the browsers an account logs in from (a random token in a cookie
of its own, stored as a digest) and posts a message when a login comes from a new one.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from sqlalchemy import select

from ..core.batch import upsert_insert
from ..core.extensions import db
from ..core.time import utcnow
from ..messages.kinds import MessageKind
from ..messages.services import post_message
from ..people.models import Person
from ..tenancy.city import City
from .models import Account, AccountDevice
from .sms_codes import SmsLimitReached, send_message

#: The purpose of a notice's ``SmsCode`` row (it carries no code; it counts the message).
NOTICE = "notice"
#: The cookie that holds the browser's device token; it lasts about a year.
DEVICE_COOKIE = "shebao_device"
DEVICE_COOKIE_SECONDS = 400 * 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


def text_resident(city: City, person_id: int, text: str) -> str:
    """Text ``text`` to the person's reserved mobile: sent, limited (an SMS limit is reached;
    nothing sent) or no_phone."""
    account = db.session.scalar(
        select(Account).where(Account.city == city.code, Account.person_id == person_id)
    )
    phone = account.phone if account is not None else None
    if not phone:
        phone = db.session.scalar(
            select(Person.phone).where(Person.city == city.code, Person.id == person_id)
        )
    if not phone:
        return "no_phone"
    try:
        send_message(city, phone, text, NOTICE, account=account, address=None)
    except SmsLimitReached:
        return "limited"
    return "sent"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def recognise_device(city: City, account: Account, token: str | None) -> str:
    """Note that ``account`` logged in from the browser holding ``token`` (its device cookie,
    None or malformed: a browser without one). Returns the token the cookie should hold.

    The account's first browser is simply kept; a later login from one it has not used
    before posts a ``new_device_login`` message.
    """
    if not token or not _TOKEN.match(token):
        token = secrets.token_urlsafe(32)
    digest = _digest(token)
    devices = db.session.scalars(
        select(AccountDevice).where(
            AccountDevice.city == city.code, AccountDevice.account_id == account.id
        )
    ).all()
    now = utcnow()
    known = next((device for device in devices if device.token_digest == digest), None)
    if known is not None:
        known.last_seen_at = now
        return token
    # A second login racing this one from the same new browser adds nothing (and no message).
    added = db.session.scalar(
        upsert_insert(AccountDevice.__table__)
        .values(
            city=city.code,
            account_id=account.id,
            token_digest=digest,
            first_seen_at=now,
            last_seen_at=now,
        )
        .on_conflict_do_nothing(index_elements=["city", "account_id", "token_digest"])
        .returning(AccountDevice.__table__.c.id)
    )
    if added is not None and devices:
        post_message(
            city,
            account.person_id,
            MessageKind.NEW_DEVICE_LOGIN,
            link=("account.change_password", {}),
        )
    return token
