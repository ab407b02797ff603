"""Reading and marking the person's own messages. Every query names the city and the person:
another person's message, or another city's, is never found (no lookup by id alone)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from flask import url_for
from sqlalchemy import select, update
from werkzeug.routing import BuildError

from ...core.extensions import db
from ...core.time import utcnow
from ...messages.kinds import kind_body, kind_title
from ...messages.models import Message
from ...people.models import Person
from ...tenancy.city import City
from ...web.queries import Page, paginate
from . import NAME


@dataclass(frozen=True)
class ShownMessage:
    """A message as the page shows it, in the reader's language."""

    id: int
    title: str
    body: str
    link: str | None
    created_at: datetime
    read: bool


def page_size(city: City) -> int:
    return city.options(NAME).page_size


def messages_page(city: City, person: Person, number: int) -> Page:
    """One page of the person's messages, newest first, rendered for the current language.

    Raises ``QueryError`` for a page past the end.
    """
    statement = (
        select(Message)
        .where(Message.city == city.code, Message.person_id == person.id)
        .order_by(Message.created_at.desc(), Message.id.desc())
    )
    page = paginate(statement, number, page_size(city))
    return replace(page, items=[shown(city, message) for message in page.items])


def shown(city: City, message: Message) -> ShownMessage:
    return ShownMessage(
        id=message.id,
        title=kind_title(message.kind),
        body=kind_body(message.kind, message.params),
        link=link_of(city, message),
        created_at=message.created_at,
        read=message.read_at is not None,
    )


def link_of(city: City, message: Message) -> str | None:
    """Where the resident acts on the message: None when that page is not offered in the
    city (its module is off) or no longer exists."""
    endpoint = message.link_endpoint
    if not endpoint:
        return None
    module, _dot, key = endpoint.partition(".")
    if module not in city.catalogue or not city.module_enabled(module):
        return None
    if city.module(module).entry(key) is not None and not city.entry_enabled(module, key):
        return None
    try:
        return url_for(endpoint, **(message.link_values or {}))
    except BuildError:
        return None


def mark_read(city: City, person: Person, message_id: int) -> bool:
    """Mark one of the person's own messages read; False when they have no such message (or
    it was read already)."""
    marked = db.session.execute(
        update(Message)
        .where(
            Message.city == city.code,
            Message.person_id == person.id,
            Message.id == message_id,
            Message.read_at.is_(None),
        )
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return marked.rowcount == 1


def owns(city: City, person: Person, message_id: int) -> bool:
    return (
        db.session.scalar(
            select(Message.id).where(
                Message.city == city.code,
                Message.person_id == person.id,
                Message.id == message_id,
            )
        )
        is not None
    )


def mark_all_read(city: City, person: Person) -> int:
    """Mark every unread message of the person read; returns how many."""
    return db.session.execute(
        update(Message)
        .where(
            Message.city == city.code,
            Message.person_id == person.id,
            Message.read_at.is_(None),
        )
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount


def link_for(city: City, person: Person, message_id: int) -> str | None:
    """The link of one of the person's own messages (None: not theirs, or no link)."""
    message = db.session.scalar(
        select(Message).where(
            Message.city == city.code,
            Message.person_id == person.id,
            Message.id == message_id,
        )
    )
    return link_of(city, message) if message is not None else None
