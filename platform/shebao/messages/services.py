"""Posting a message, and the unread count the header shows.

``post_message`` is what a service calls when something happens that the resident should
know: it adds the message in the caller's unit of work (nothing here commits) and, when the
city's ``modules.messages.sms`` lists the kind, sends it by SMS too, through the sender the
app factory installs (``app.extensions["shebao.messages.sms"]``: the account's, which counts
the text against the city's SMS limits and hands it to the job queue). The sender is handed
in because the SMS limits belong to the accounts, a layer above this one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select

from ..core.batch import upsert_insert
from ..core.extensions import db
from ..core.i18n import label_text
from ..core.time import utcnow
from ..tenancy.city import City
from .kinds import MessageKind, kind_body, kind_title
from .models import Message

log = logging.getLogger("shebao.messages")
#: The feature module whose pages show messages and whose options say what goes by SMS.
MODULE = "messages"
#: ``app.extensions`` key of the SMS sender: ``sender(city, person_id, text) -> outcome``
#: (sent, limited or no_phone).
SMS_SENDER = "shebao.messages.sms"
SmsSender = Callable[[City, int, str], str]


def city_of(city: City | str) -> City | None:
    """The loaded city for ``city`` (a city or its code)."""
    if isinstance(city, City):
        return city
    return current_app.extensions["shebao.cities"].get(city)


def texts_by_sms(city: City, kind: MessageKind) -> bool:
    """Whether posting ``kind`` in ``city`` also sends the resident an SMS (the city's
    ``modules.messages.sms``), so that a caller which would text the same event itself doesn't
    send it twice."""
    return city.module_enabled(MODULE) and MessageKind(kind) in city.options(MODULE).sms


def post_message(
    city: City | str,
    person_id: int,
    kind: MessageKind,
    *,
    params: Mapping[str, Any] | None = None,
    link: tuple[str, Mapping[str, Any]] | None = None,
    dedupe_key: str | None = None,
) -> int | None:
    """Tell ``person_id`` in ``city`` that ``kind`` happened; returns the new message's id.

    ``params``: the values the kind's text names (plain strings and numbers); ``link``: the
    endpoint and URL values of the page where the resident acts. ``dedupe_key``: the event's
    identity where it can be delivered twice (``order:<number>:paid``); a second post with the
    same key adds nothing, sends nothing and returns None. None too when the city has no
    message centre.
    """
    loaded = city_of(city)
    if loaded is None or not loaded.module_enabled(MODULE):
        return None
    kind = MessageKind(kind)
    endpoint, values = link if link is not None else (None, {})
    table = Message.__table__
    message_id = db.session.scalar(
        upsert_insert(table)
        .values(
            city=loaded.code,
            person_id=person_id,
            kind=kind.value,
            params=dict(params or {}),
            link_endpoint=endpoint,
            link_values=dict(values),
            dedupe_key=dedupe_key[:96] if dedupe_key else None,
            created_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["city", "person_id", "dedupe_key"])
        .returning(table.c.id)
    )
    if message_id is not None and texts_by_sms(loaded, kind):
        outcome = _send_by_sms(loaded, person_id, kind, params or {})
        db.session.execute(
            table.update()
            .where(table.c.id == message_id, table.c.city == loaded.code)
            .values(sms=outcome)
        )
    return message_id


def sms_text(city: City, kind: MessageKind, params: Mapping[str, Any]) -> str:
    """The message as one text, in the city's default language, signed with its name."""
    locale = city.config.locales.default
    with force_locale(locale):
        text = _("%(title)s: %(body)s", title=kind_title(kind), body=kind_body(kind, params))
    return f"[{label_text(city.config.name, locale)}] {text}"


def _send_by_sms(city: City, person_id: int, kind: MessageKind, params: Mapping[str, Any]) -> str:
    sender: SmsSender | None = current_app.extensions.get(SMS_SENDER)
    if sender is None:
        log.warning("%s: no SMS sender installed; message %s not texted", city.code, kind)
        return "no_sender"
    return sender(city, person_id, sms_text(city, kind, params))


#: Built once: the header asks it on every logged-in page.
_UNREAD = (
    select(func.count())
    .select_from(Message)
    .where(
        Message.city == bindparam("city"),
        Message.person_id == bindparam("person"),
        Message.read_at.is_(None),
    )
)


def unread_count(city: City, person_id: int) -> int:
    return db.session.scalar(_UNREAD, {"city": city.code, "person": person_id})
