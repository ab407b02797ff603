"""Rules of the card application and the ID photo; views stay thin.

Nothing is stored unless everything is right: the views call these only with a validated
form, and ``save_application`` checks the choices against the city's lists before it writes.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...core.extensions import db
from ...core.i18n import label_text
from ...core.time import utcnow
from ...integrations.storage import storage_for
from . import photos
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


def _concurrent() -> str:
    return _("This was changed in another window at the same time. Check it and try again.")


FIELDS = ("nationality", "ethnicity", "phone", "address", "occupation", "bank", "collection_point")


class CollectionError(ValueError):
    """Refusals, field name → message (None for the whole form)."""

    def __init__(self, errors: dict[str | None, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def application_of(person) -> CardApplication | None:
    return db.session.scalars(
        select(CardApplication).where(CardApplication.person_id == person.id)
    ).one_or_none()


def photo_of(person) -> CardPhoto | None:
    return db.session.scalars(
        select(CardPhoto).where(CardPhoto.person_id == person.id)
    ).one_or_none()


def point_key(point) -> str:
    """How an application records a collection point: its Chinese text (stable across locales)."""
    return label_text(point, "zh_CN")


def point_label(options, stored: str | None) -> str:
    for point in options.collection_points:
        if point_key(point) == stored:
            return label_text(point)
    return stored or ""


def point_number(options, stored: str | None) -> str:
    for number, point in enumerate(options.collection_points, start=1):
        if point_key(point) == stored:
            return str(number)
    return ""


def bank_label(options, code: str | None) -> str:
    for bank in options.banks:
        if bank.code == code:
            return label_text(bank.name)
    return code or ""


def check_application(options, values: dict, *, submit: bool) -> tuple[dict, dict]:
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
        if not (point.isdigit() and 1 <= int(point) <= len(points)):
            errors["collection_point"] = _("Choose one of the places in the list.")
        else:
            cleaned["collection_point"] = point_key(points[int(point) - 1])
    if submit:
        for name in FIELDS:
            if not cleaned[name] and name not in errors:
                errors[name] = _("This field is required to submit the application.")
    return cleaned, errors


def save_application(options, person, values: dict, *, submit: bool) -> CardApplication:
    """Save the person's application as a draft, or submit it; CollectionError when refused."""
    application = application_of(person)
    if application is not None and application.status == ACCEPTED:
        raise CollectionError(
            {None: _("Your application has been accepted and can no longer be changed.")}
        )
    cleaned, errors = check_application(options, values, submit=submit)
    if errors:
        raise CollectionError(errors)
    now = utcnow()
    if application is None:
        application = CardApplication(person_id=person.id, created_at=now)
        db.session.add(application)
    for name, value in cleaned.items():
        setattr(application, name, value)
    application.status = SUBMITTED if submit else DRAFT
    application.submitted_at = now if submit else None
    application.return_reason = None if submit else application.return_reason
    application.updated_at = now
    try:
        db.session.commit()
    except IntegrityError:  # the same person saved in two windows at once: one row wins
        db.session.rollback()
        raise CollectionError({None: _concurrent()}) from None
    return application


def decide_application(application: CardApplication, *, accept: bool, reason: str = "") -> None:
    """The card office's decision on a submitted application (accepted, or returned with why)."""
    if application.status != SUBMITTED:
        raise CollectionError({None: "only a submitted application can be decided"})
    if not accept and not reason.strip():
        raise CollectionError({None: "a returned application needs a reason"})
    application.status = ACCEPTED if accept else RETURNED
    application.return_reason = None if accept else reason.strip()[:200]
    application.decided_at = application.updated_at = utcnow()
    db.session.commit()


def store_photo(city: str, options, person, data: bytes) -> CardPhoto:
    """Check and store the upload as the person's photo (pending review); PhotoRefused if not."""
    current = photo_of(person)
    if current is not None and current.status == APPROVED:
        raise photos.PhotoRefused(
            _("Your photo has been approved and can no longer be replaced online.")
        )
    spec = options.photo
    photo = photos.normalise(data, spec.width, spec.height)
    storage = storage_for()
    key = storage.save(city, "photos", photo.data, "jpg")
    old_key = current.storage_key if current is not None else None
    now = utcnow()
    try:
        if current is None:
            current = CardPhoto(person_id=person.id, created_at=now)
            db.session.add(current)
        current.storage_key = key
        current.width, current.height = photo.width, photo.height
        current.size_bytes = len(photo.data)
        current.status, current.reject_reason, current.reviewed_at = PENDING, None, None
        current.updated_at = now
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        storage.delete(key)
        raise photos.PhotoRefused(_concurrent()) from None
    except Exception:
        db.session.rollback()
        storage.delete(key)
        raise
    if old_key and old_key != key:
        storage.delete(old_key)
    return current


def review_photo(photo: CardPhoto, *, approve: bool, reason: str = "") -> None:
    if not approve and not reason.strip():
        raise CollectionError({None: "a rejected photo needs a reason"})
    photo.status = APPROVED if approve else REJECTED
    photo.reject_reason = None if approve else reason.strip()[:200]
    photo.reviewed_at = photo.updated_at = utcnow()
    db.session.commit()


def photo_bytes(photo: CardPhoto) -> bytes:
    return storage_for().read(photo.storage_key)


UNFINISHED = (DRAFT, RETURNED)
