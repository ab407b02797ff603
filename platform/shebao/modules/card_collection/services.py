"""Rules of the card application and the ID photo; views stay thin.

Nothing is stored unless everything is right: the views call these only with a validated
form, and ``save_application`` checks the choices against the city's lists before it writes.
Reads filter by the city and the person (the request's scoping stays as a safety net). Writes
happen in the caller's unit of work: these functions never commit, the view does, with
``unit_of_work()``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ...core.extensions import db
from ...core.i18n import label_text
from ...core.time import utcnow
from ...integrations.storage import storage_for
from ...messages.kinds import MessageKind
from ...messages.services import post_message
from ...people.models import Person
from ...tenancy.city import City
from ...web.queries import ascii_int
from . import NAME, photos
from .ethnicities import ETHNICITIES
from .models import (
    ACCEPTED,
    APPROVED,
    DRAFT,
    PENDING,
    REJECTED,
    RETURNED,
    SUBMITTED,
    CardApplication,
    CardPhoto,
)
from .options import CardCollectionOptions

FIELDS = ("nationality", "ethnicity", "phone", "address", "occupation", "bank", "collection_point")
#: Application statuses the person still has to act on (the to-do list names them).
UNFINISHED = (DRAFT, RETURNED)


def _concurrent() -> str:
    return _("This was changed in another window at the same time. Check it and try again.")


class CollectionError(ValueError):
    """Refusals, field name → message (None for the whole form)."""

    def __init__(self, errors: dict[str | None, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def options_of(city: City) -> CardCollectionOptions:
    """The city's ``modules.card_collection`` options (banks, collection points, photo)."""
    return city.options(NAME)


def application_of(city: City, person: Person) -> CardApplication | None:
    """The person's card application in this city, or None."""
    return db.session.scalars(
        select(CardApplication).where(
            CardApplication.city == city.code, CardApplication.person_id == person.id
        )
    ).one_or_none()


def photo_of(city: City, person: Person) -> CardPhoto | None:
    """The person's ID photo in this city, or None."""
    return db.session.scalars(
        select(CardPhoto).where(CardPhoto.city == city.code, CardPhoto.person_id == person.id)
    ).one_or_none()


def form_values(city: City, person: Person, application: CardApplication | None) -> dict:
    """What the application form shows before the person changes anything."""
    if application is None:
        return {"phone": person.phone or "", "nationality": _("China")}
    values = {name: getattr(application, name) or "" for name in FIELDS}
    values["collection_point"] = point_number(options_of(city), application.collection_point)
    return values


def point_key(point) -> str:
    """How an application records a collection point: its Chinese text (stable across locales)."""
    return label_text(point, "zh_CN")


def point_label(options: CardCollectionOptions, stored: str | None) -> str:
    for point in options.collection_points:
        if point_key(point) == stored:
            return label_text(point)
    return stored or ""


def point_number(options: CardCollectionOptions, stored: str | None) -> str:
    for number, point in enumerate(options.collection_points, start=1):
        if point_key(point) == stored:
            return str(number)
    return ""


def bank_label(options: CardCollectionOptions, code: str | None) -> str:
    for bank in options.banks:
        if bank.code == code:
            return label_text(bank.name)
    return code or ""


def check_application(
    options: CardCollectionOptions, values: dict, *, submit: bool
) -> tuple[dict, dict]:
    """(cleaned values, errors): the choices must come from the city's lists, and a
    submission needs every field. Stores nothing."""
    errors: dict[str | None, str] = {}
    cleaned = {name: (values.get(name) or None) for name in FIELDS}
    if cleaned["ethnicity"] and cleaned["ethnicity"] not in ETHNICITIES:
        errors["ethnicity"] = _("Choose an ethnic group from the list.")
    if cleaned["bank"] and cleaned["bank"] not in {bank.code for bank in options.banks}:
        errors["bank"] = _("Choose one of the banks in the list.")
    point = cleaned["collection_point"]
    if point:
        points = options.collection_points
        number = ascii_int(point)
        if number is None or not 1 <= number <= len(points):
            errors["collection_point"] = _("Choose one of the places in the list.")
        else:
            cleaned["collection_point"] = point_key(points[number - 1])
    if submit:
        for name in FIELDS:
            if not cleaned[name] and name not in errors:
                errors[name] = _("This field is required to submit the application.")
    return cleaned, errors


def save_application(city: City, person: Person, values: dict, *, submit: bool) -> CardApplication:
    """Save the person's application as a draft, or submit it; CollectionError when refused."""
    application = application_of(city, person)
    if application is not None and application.status == ACCEPTED:
        raise CollectionError(
            {None: _("Your application has been accepted and can no longer be changed.")}
        )
    cleaned, errors = check_application(options_of(city), values, submit=submit)
    if errors:
        raise CollectionError(errors)
    now = utcnow()
    if application is None:
        application = CardApplication(city=city.code, person_id=person.id, created_at=now)
        db.session.add(application)
    for name, value in cleaned.items():
        setattr(application, name, value)
    application.status = SUBMITTED if submit else DRAFT
    application.submitted_at = now if submit else None
    application.return_reason = None if submit else application.return_reason
    application.updated_at = now
    _flush_or_refuse(CollectionError({None: _concurrent()}))
    return application


def _flush_or_refuse(refusal: Exception) -> None:
    """Write now, so that the same person saving in two windows at once (one row wins, by the
    unique constraint) is refused with ``refusal``; the caller's unit of work rolls back."""
    try:
        db.session.flush()
    except IntegrityError:
        raise refusal from None


def _already_decided() -> str:
    return _(
        "This was decided by someone else a moment ago (or changed by the resident). "
        "Nothing was changed: reload the queue to see its state."
    )


@dataclass(frozen=True)
class Decision:
    """A card-office decision that held: the reason the resident sees (None for a yes) and the
    kind of message the resident was sent about it (None: none)."""

    reason: str | None
    message: MessageKind | None


@dataclass(frozen=True)
class _Review:
    """What one kind of card-office decision changes and tells (see ``_decide_once``)."""

    #: The status an item waits in; the outcomes (yes, no).
    waiting: str
    outcomes: tuple[str, str]
    #: Columns that hold the reason the resident sees, and when it was decided.
    reason_column: str
    decided_column: str
    #: Columns that must still hold what the reviewer saw (besides id, city and status).
    unchanged: tuple[str, ...]
    #: The message for each outcome (yes, no; None: none), the page it links to, and the
    #: decision's identity, so that sending it twice posts it once.
    messages: tuple[MessageKind | None, MessageKind]
    page: str
    dedupe_key: Callable[[Any], str]


def _submission_key(application: CardApplication) -> str:
    # One decision per submission, however often the decision is sent.
    submitted = application.submitted_at.isoformat() if application.submitted_at else ""
    return f"card_application:{application.id}:{submitted}"


def _upload_key(photo: CardPhoto) -> str:
    # One rejection per uploaded photo (each upload is stored under a new key).
    return f"card_photo:{photo.storage_key}:rejected"


_APPLICATION = _Review(
    waiting=SUBMITTED,
    outcomes=(ACCEPTED, RETURNED),
    reason_column="return_reason",
    decided_column="decided_at",
    unchanged=(),
    messages=(MessageKind.CARD_APPLICATION_ACCEPTED, MessageKind.CARD_APPLICATION_RETURNED),
    page="info",
    dedupe_key=_submission_key,
)
_PHOTO = _Review(
    waiting=PENDING,
    outcomes=(APPROVED, REJECTED),
    reason_column="reject_reason",
    decided_column="reviewed_at",
    unchanged=("storage_key",),
    messages=(None, MessageKind.PHOTO_REJECTED),
    page="photo",
    dedupe_key=_upload_key,
)


def _decide_once(
    review: _Review, item: CardApplication | CardPhoto, yes: bool, reason: str
) -> Decision:
    """The card office's decision on ``item``: yes, or no with the reason the resident sees.

    One conditional UPDATE (``… WHERE status = <waiting>``, and the ``unchanged`` columns as
    the reviewer saw them): when two reviewers decide the same item at once, or the resident
    changes it meanwhile, exactly one change counts and the other is refused with
    ``CollectionError``. The resident's message is posted in the caller's unit of work.
    """
    reason = reason.strip()
    if not yes and not reason:
        raise CollectionError({"reason": _("Enter the reason the resident will see.")})
    model = type(item)
    now = utcnow()
    decided = db.session.execute(
        update(model)
        .where(
            *(
                getattr(model, column) == getattr(item, column)
                for column in ("id", "city", *review.unchanged)
            ),
            model.status == review.waiting,
        )
        .values(
            {
                "status": review.outcomes[0 if yes else 1],
                review.reason_column: None if yes else reason[:200],
                review.decided_column: now,
                "updated_at": now,
            }
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if decided != 1:
        raise CollectionError({None: _already_decided()})
    db.session.refresh(item)
    stored = getattr(item, review.reason_column)
    kind = review.messages[0 if yes else 1]
    if kind is not None:
        post_message(
            item.city,
            item.person_id,
            kind,
            params={} if yes else {"reason": stored},
            link=(f"{NAME}.{review.page}", {}),
            dedupe_key=review.dedupe_key(item),
        )
    return Decision(stored, kind)


def decide_application(application: CardApplication, accept: bool, reason: str = "") -> Decision:
    """Accept a submitted application, or return it with why (see ``_decide_once``)."""
    return _decide_once(_APPLICATION, application, accept, reason)


@dataclass
class PhotoUpload:
    """A checked photo already in the storage, waiting for its row (``record_photo``)."""

    key: str
    width: int
    height: int
    size_bytes: int
    #: The file of the photo it replaces: removed once the new row is committed.
    replaced_key: str | None = None


@contextmanager
def photo_upload(city: City, person: Person, data: bytes) -> Iterator[PhotoUpload]:
    """Check the upload and put it in the storage, for the duration of the unit of work.

    Use it outside the unit of work, so that its end comes after the commit::

        with services.photo_upload(city, person, data) as upload, unit_of_work():
            services.record_photo(city, person, upload)

    When the block fails (a refusal, or the commit) the new file is removed and the old photo
    stays; when it succeeds the replaced file is removed. PhotoRefused when the photo is not
    acceptable or may no longer be replaced.
    """
    _refuse_if_approved(photo_of(city, person))
    spec = options_of(city).photo
    photo = photos.normalise(data, spec.width, spec.height)
    storage = storage_for()
    upload = PhotoUpload(
        key=storage.save(city.code, "photos", photo.data, "jpg"),
        width=photo.width,
        height=photo.height,
        size_bytes=len(photo.data),
    )
    try:
        yield upload
    except BaseException:
        storage.delete(upload.key)
        raise
    if upload.replaced_key and upload.replaced_key != upload.key:
        storage.delete(upload.replaced_key)


def record_photo(city: City, person: Person, upload: PhotoUpload) -> CardPhoto:
    """Make the stored upload the person's photo, pending review (see ``photo_upload``)."""
    current = photo_of(city, person)
    _refuse_if_approved(current)
    now = utcnow()
    if current is None:
        current = CardPhoto(city=city.code, person_id=person.id, created_at=now)
        db.session.add(current)
    else:
        upload.replaced_key = current.storage_key
    current.storage_key = upload.key
    current.width, current.height = upload.width, upload.height
    current.size_bytes = upload.size_bytes
    current.status, current.reject_reason, current.reviewed_at = PENDING, None, None
    current.updated_at = now
    _flush_or_refuse(photos.PhotoRefused(_concurrent()))
    return current


def _refuse_if_approved(photo: CardPhoto | None) -> None:
    if photo is not None and photo.status == APPROVED:
        raise photos.PhotoRefused(
            _("Your photo has been approved and can no longer be replaced online.")
        )


def review_photo(photo: CardPhoto, approve: bool, reason: str = "") -> Decision:
    """Approve a pending photo, or reject it with why (see ``_decide_once``); a photo replaced
    since the reviewer saw it is not decided."""
    return _decide_once(_PHOTO, photo, approve, reason)


def photo_bytes(photo: CardPhoto) -> bytes:
    return storage_for().read(photo.storage_key)
