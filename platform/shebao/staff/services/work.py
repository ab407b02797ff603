"""Reviewers' work queues: card applications and ID photos, oldest first.

``decide_application`` and ``review_photo`` are the one place a decision is made: they check
the item belongs to the city (never by id alone), let exactly one of two simultaneous
decisions through (the card-collection services' conditional UPDATE), audit it, and return a
``Notice`` for the resident. The view sends it with ``notify_resident`` after the commit, so
a decision that did not hold sends nothing; a message centre hooks in there.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ...core.extensions import db
from ...core.i18n import label_text
from ...integrations.sms import send_sms
from ...messages.kinds import MessageKind
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


def _refusal(error: collection.CollectionError) -> StaffError:
    field, message = next(iter(error.errors.items()))
    return StaffError(message, field)


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


def application_in_city(city: City, application_id: int) -> tuple[CardApplication, Person]:
    found = db.session.execute(
        select(CardApplication, Person)
        .join(Person, Person.id == CardApplication.person_id)
        .where(CardApplication.city == city.code, CardApplication.id == application_id)
    ).first()
    if found is None:
        raise StaffError(_("There is no such card application in this city."))
    return found[0], found[1]


def photo_in_city(city: City, photo_id: int) -> tuple[CardPhoto, Person]:
    found = db.session.execute(
        select(CardPhoto, Person)
        .join(Person, Person.id == CardPhoto.person_id)
        .where(CardPhoto.city == city.code, CardPhoto.id == photo_id)
    ).first()
    if found is None:
        raise StaffError(_("There is no such photo in this city."))
    return found[0], found[1]


def _portal(city: City) -> str:
    return label_text(city.config.name, "zh_CN")


def _notice(city: City, kind: MessageKind, phone: str | None, text: str) -> Notice:
    """The SMS for a decision, or none where the city's message centre texts this kind itself
    (``modules.messages.sms``): one text per decision either way."""
    return Notice(None if texts_by_sms(city, kind) else phone, text)


def decide_application(
    city: City, staff: StaffMember, application_id: int, *, accept: bool, reason: str = ""
) -> Notice:
    """Accept a submitted application, or return it with a reason the resident sees."""
    application, person = application_in_city(city, application_id)
    try:
        collection.decide_application(application, accept=accept, reason=reason)
    except collection.CollectionError as error:
        raise _refusal(error) from None
    record(
        "application_accepted" if accept else "application_returned",
        city,
        staff,
        person=person,
        application=application.id,
        reason=application.return_reason or "",
    )
    with force_locale("zh_CN"):
        if accept:
            text = _(
                "[%(portal)s] Your social security card application has been accepted.",
                portal=_portal(city),
            )
        else:
            text = _(
                "[%(portal)s] Your social security card application was returned: %(reason)s. "
                "Please correct it online and submit it again.",
                portal=_portal(city),
                reason=application.return_reason,
            )
    kind = (
        MessageKind.CARD_APPLICATION_ACCEPTED if accept else MessageKind.CARD_APPLICATION_RETURNED
    )
    return _notice(city, kind, application.phone or person.phone, text)


def review_photo(
    city: City, staff: StaffMember, photo_id: int, *, approve: bool, reason: str = ""
) -> Notice:
    """Approve a pending photo, or reject it with a reason the resident sees."""
    photo, person = photo_in_city(city, photo_id)
    try:
        collection.review_photo(photo, approve=approve, reason=reason)
    except collection.CollectionError as error:
        raise _refusal(error) from None
    record(
        "photo_approved" if approve else "photo_rejected",
        city,
        staff,
        person=person,
        photo=photo.id,
        reason=photo.reject_reason or "",
    )
    with force_locale("zh_CN"):
        if approve:
            text = _("[%(portal)s] Your ID photo has been approved.", portal=_portal(city))
        else:
            text = _(
                "[%(portal)s] Your ID photo was rejected: %(reason)s. Please upload a new one.",
                portal=_portal(city),
                reason=photo.reject_reason,
            )
    if approve:
        return Notice(person.phone, text)
    return _notice(city, MessageKind.PHOTO_REJECTED, person.phone, text)


def notify_resident(city: City, notice: Notice) -> None:
    """Tell the resident about a decision, after it was committed (through the job queue)."""
    if notice.phone:
        send_sms(city.code, notice.phone, notice.text)
