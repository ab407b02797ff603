"""The reviewers' queues: card applications and photos."""

from __future__ import annotations

from flask import Response, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from ...account.errors import AccountError
from ...integrations.storage import StorageError
from ...modules.card_collection import services as collection
from ...modules.card_collection.models import (
    APPLICATION_STATUSES,
    PENDING,
    PHOTO_STATUSES,
    SUBMITTED,
)
from ..access import requires
from ..forms import DecisionForm
from ..services import work
from .support import action, choice, page_number, paged, per_page


@requires("reviewer")
def applications():
    status = choice("status", APPLICATION_STATUSES, SUBMITTED)
    point = request.args.get("point", "")[:128]
    return paged(
        "applications.html",
        lambda: work.applications_page(g.city, page_number(), per_page(), status, point),
        title=_("Card applications"),
        status=status,
        point=point,
        statuses=APPLICATION_STATUSES,
        points=_points(),
        form=DecisionForm(),
    )


def _points() -> list[tuple[str, str]]:
    if not g.city.module_enabled("card_collection"):
        return []
    options = collection.options_of(g.city)
    return [
        (collection.point_key(p), collection.point_label(options, collection.point_key(p)))
        for p in options.collection_points
    ]


def _decide(decide, item_id: int, said: tuple[str, str], back: str):
    """One reviewer decision: ``decide(city, staff, item_id, yes, reason)`` in its unit of
    work, the resident told after the commit, ``said`` flashed (yes, no), back to the queue."""
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    yes = bool(form.accept.data) and not form.refuse.data
    try:
        with action():
            notice = decide(g.city, g.staff, item_id, yes, form.reason.data or "")
    except AccountError as refusal:
        flash(refusal.message, "error")
    else:
        work.notify_resident(g.city, notice)
        flash(said[0] if yes else said[1], "info")
    return redirect(url_for(back))


@requires("reviewer")
def decide_application(application_id: int):
    return _decide(
        work.decide_application,
        application_id,
        (_("Application accepted."), _("Application returned.")),
        "staff.applications",
    )


@requires("reviewer")
def photos():
    status = choice("status", PHOTO_STATUSES, PENDING)
    return paged(
        "photos.html",
        lambda: work.photos_page(g.city, page_number(), per_page(), status),
        title=_("ID photos"),
        status=status,
        statuses=PHOTO_STATUSES,
        form=DecisionForm(),
    )


@requires("reviewer")
def photo_image(photo_id: int):
    try:
        photo, _person = work.photo_in_city(g.city, photo_id)
        data = collection.photo_bytes(photo)
    except (AccountError, StorageError):
        abort(404)
    return Response(data, mimetype="image/jpeg", headers={"Cache-Control": "no-store"})


@requires("reviewer")
def review_photo(photo_id: int):
    return _decide(
        work.review_photo,
        photo_id,
        (_("Photo approved."), _("Photo rejected.")),
        "staff.photos",
    )
