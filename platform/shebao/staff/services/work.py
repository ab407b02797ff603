"""Reviewers' work queues: card applications and ID photos, oldest first.

``decide_application`` and ``review_photo`` are the one place a decision is made: they check
the item belongs to the city (never by id alone), let exactly one of two simultaneous
decisions through (the card-collection services' conditional UPDATE), audit it, and return a
``Notice`` for the resident. The view sends it with ``notify_resident`` after the commit, so
a decision that did not hold sends nothing; a message centre hooks in there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ...core.extensions import db
from ...core.i18n import label_text
from ...integrations.sms import send_sms
from ...messages.services import texts_by_sms
from ...modules.card_collection import services as collection
from ...modules.card_collection.models import (
    APPLICATION_STATUSES,
    PHOTO_STATUSES,
    SUBMITTED,
    CardApplication,
    CardPhoto,
)
from ...people.models import Person
from ...tenancy.city import City
from ...web.queries import Page, paginate
from ..models import StaffMember
from .auditing import record
from .errors import StaffError


@dataclass(frozen=True)
class Notice:
    """What the resident is told about a decision (an SMS to the phone on record)."""

    phone: str | None
    text: str


def applications_page(
    city: City, page: int, per_page: int, status: str = SUBMITTED, point: str = ""
) -> Page:
    """Applications of ``status`` (default: waiting for a decision), oldest submission first."""
    if status not in APPLICATION_STATUSES:
        status = SUBMITTED
    statement = (
        select(CardApplication, Person)
        .join(Person, (Person.id == CardApplication.person_id) & (Person.city == city.code))
        .where(CardApplication.city == city.code, CardApplication.status == status)
    )
    if point:
        statement = statement.where(CardApplication.collection_point == point)
    statement = statement.order_by(
        CardApplication.submitted_at.asc().nulls_last(), CardApplication.id
    )
    return paginate(statement, page, per_page, scalars=False)


def photos_page(city: City, page: int, per_page: int, status: str = "pending") -> Page:
    if status not in PHOTO_STATUSES:
        status = "pending"
    statement = (
        select(CardPhoto, Person)
        .join(Person, (Person.id == CardPhoto.person_id) & (Person.city == city.code))
        .where(CardPhoto.city == city.code, CardPhoto.status == status)
        .order_by(CardPhoto.updated_at, CardPhoto.id)
    )
    return paginate(statement, page, per_page, scalars=False)


def _in_city(city: City, model: type, item_id: int, missing: str) -> tuple:
    """The item with its person, found by id within the city only; StaffError ``missing``."""
    found = db.session.execute(
        select(model, Person)
        .join(Person, Person.id == model.person_id)
        .where(model.city == city.code, model.id == item_id)
    ).first()
    if found is None:
        raise StaffError(missing)
    return found[0], found[1]


def application_in_city(city: City, application_id: int) -> tuple[CardApplication, Person]:
    return _in_city(
        city, CardApplication, application_id, _("There is no such card application in this city.")
    )


def photo_in_city(city: City, photo_id: int) -> tuple[CardPhoto, Person]:
    return _in_city(city, CardPhoto, photo_id, _("There is no such photo in this city."))


#: The SMS for each decision, by its audit event: (portal, reason) → text, written in zh_CN.
_TEXTS: dict[str, Callable[[str, str | None], str]] = {
    "application_accepted": lambda portal, reason: _(
        "[%(portal)s] Your social security card application has been accepted.", portal=portal
    ),
    "application_returned": lambda portal, reason: _(
        "[%(portal)s] Your social security card application was returned: %(reason)s. "
        "Please correct it online and submit it again.",
        portal=portal,
        reason=reason,
    ),
    "photo_approved": lambda portal, reason: _(
        "[%(portal)s] Your ID photo has been approved.", portal=portal
    ),
    "photo_rejected": lambda portal, reason: _(
        "[%(portal)s] Your ID photo was rejected: %(reason)s. Please upload a new one.",
        portal=portal,
        reason=reason,
    ),
}


@dataclass(frozen=True)
class _Queue:
    """What differs between the reviewers' queues (see ``_decide``)."""

    #: The item with its person, by id within the city (StaffError when there is none).
    find: Callable[[City, int], tuple[Any, Person]]
    #: The card-collection decision: (item, yes, reason) → ``collection.Decision``.
    decide: Callable[[Any, bool, str], collection.Decision]
    #: The audit events (yes, no), which also name the SMS in ``_TEXTS``.
    events: tuple[str, str]
    #: The audit detail that names the item (``application=<id>``).
    item: str
    #: The phone the resident is texted on: (item, person) → number.
    phone: Callable[[Any, Person], str | None]


_APPLICATIONS = _Queue(
    find=application_in_city,
    decide=collection.decide_application,
    events=("application_accepted", "application_returned"),
    item="application",
    phone=lambda application, person: application.phone or person.phone,
)
_PHOTOS = _Queue(
    find=photo_in_city,
    decide=collection.review_photo,
    events=("photo_approved", "photo_rejected"),
    item="photo",
    phone=lambda photo, person: person.phone,
)


def _decide(
    queue: _Queue, city: City, staff: StaffMember, item_id: int, yes: bool, reason: str
) -> Notice:
    """The decision on one item of ``queue``, audited, and the resident's SMS: none where the
    city's message centre texts the message the decision posted (``modules.messages.sms``),
    so that there is one text per decision either way."""
    item, person = queue.find(city, item_id)
    try:
        decision = queue.decide(item, yes, reason)
    except collection.CollectionError as error:
        field, message = next(iter(error.errors.items()))
        raise StaffError(message, field) from None
    event = queue.events[0 if yes else 1]
    record(event, city, staff, person=person, **{queue.item: item.id}, reason=decision.reason or "")
    with force_locale("zh_CN"):
        text = _TEXTS[event](label_text(city.config.name, "zh_CN"), decision.reason)
    texted = decision.message is not None and texts_by_sms(city, decision.message)
    return Notice(None if texted else queue.phone(item, person), text)


def decide_application(
    city: City, staff: StaffMember, application_id: int, accept: bool, reason: str = ""
) -> Notice:
    """Accept a submitted application, or return it with a reason the resident sees."""
    return _decide(_APPLICATIONS, city, staff, application_id, accept, reason)


def review_photo(
    city: City, staff: StaffMember, photo_id: int, approve: bool, reason: str = ""
) -> Notice:
    """Approve a pending photo, or reject it with a reason the resident sees."""
    return _decide(_PHOTOS, city, staff, photo_id, approve, reason)


def notify_resident(city: City, notice: Notice) -> None:
    """Tell the resident about a decision, after it was committed (through the job queue)."""
    if notice.phone:
        send_sms(city.code, notice.phone, notice.text)
