"""Editors' announcements: list, write, edit."""

from __future__ import annotations

from datetime import datetime

from flask import flash, g, redirect, url_for
from flask_babel import gettext as _

from ...account.errors import AccountError
from ...core.time import local_to_utc, to_local, utcnow
from ..access import requires
from ..forms import AnnouncementForm
from ..services import announcements as services
from .support import action, attach, page_number, paged, per_page, show


@requires("editor")
def announcements():
    return paged(
        "announcements.html",
        lambda: services.all_page(g.city, page_number(), per_page()),
        title=_("Announcements"),
    )


def _local(moment: datetime | None) -> datetime | None:
    return to_local(moment).replace(tzinfo=None) if moment else None


@requires("editor")
def edit(announcement_id: int | None = None):
    row = None
    if announcement_id is not None:
        try:
            row = services.announcement_in_city(g.city, announcement_id)
        except AccountError:
            return show(
                "announcements.html",
                title=_("Announcements"),
                page=None,
                error=_("There is no such announcement in this city."),
            ), 404
    form = AnnouncementForm(
        obj=row,
        data=None if row else {"publish_from": _local(utcnow())},
    )
    if row is not None and not form.is_submitted():
        form.publish_from.data = _local(row.publish_from)
        form.publish_until.data = _local(row.publish_until)
    error = None
    if form.validate_on_submit():
        start = local_to_utc(form.publish_from.data) if form.publish_from.data else utcnow()
        end = local_to_utc(form.publish_until.data) if form.publish_until.data else None
        try:
            with action():
                services.save_announcement(g.city, g.staff, form.data, start, end, announcement_id)
        except AccountError as refusal:
            error = attach(form, refusal)
        else:
            flash(_("The announcement was saved."), "info")
            return redirect(url_for("staff.announcements"))
    elif form.is_submitted():
        error = None
    title = _("Edit announcement") if row else _("New announcement")
    return show("announcement_form.html", title=title, form=form, error=error, row=row), (
        400 if form.is_submitted() else 200
    )
