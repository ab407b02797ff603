"""Card collection's source for the to-do list.

An application saved as a draft or returned is unfinished; so is a rejected photo, and a
missing photo once the person has started an application (without an application nobody is
collecting a card, and the list stays quiet).
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from ...people.models import Person
from ...tenancy.city import City
from ..todo.sources import TodoItem
from . import services
from .models import DRAFT, REJECTED


def unfinished_collection(city: City, person: Person) -> list[TodoItem]:
    items = []
    application = services.application_of(city, person)
    if application is not None and application.status in services.UNFINISHED:
        detail = (
            _("Draft, not submitted yet")
            if application.status == DRAFT
            else _("Returned: %(reason)s", reason=application.return_reason or "")
        )
        items.append(
            TodoItem(
                title=city.entry_label("card_collection", "info"),
                detail=detail,
                url=url_for("card_collection.info"),
                started_at=application.created_at,
            )
        )
    photo = services.photo_of(city, person)
    if photo is None and application is not None:
        items.append(
            TodoItem(
                title=city.entry_label("card_collection", "photo"),
                detail=_("No photo uploaded yet"),
                url=url_for("card_collection.photo"),
                started_at=application.created_at,
            )
        )
    elif photo is not None and photo.status == REJECTED:
        items.append(
            TodoItem(
                title=city.entry_label("card_collection", "photo"),
                detail=_("Photo rejected: %(reason)s", reason=photo.reject_reason or ""),
                url=url_for("card_collection.photo"),
                started_at=photo.created_at,
            )
        )
    return items
