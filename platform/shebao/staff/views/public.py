"""通知公告 for everyone: the city's published announcements (list and one), and the newest
of them for the home page (a template function, so the portal's home page needs no import of
this package)."""

from __future__ import annotations

from flask import Blueprint, abort, g, request
from flask_babel import gettext as _

from ...core.time import local_minute
from ...web.queries import parse_page
from ...web.templating import render
from ..services import announcements as services
from .support import paged

blueprint = Blueprint("notices", __name__, url_prefix="/notices")


@blueprint.before_request
def enabled_only():
    if not g.city.config.staff.enabled:
        abort(404)


@blueprint.app_context_processor
def home_announcements():
    def latest():
        city = g.get("city")
        if city is None or not city.config.staff.enabled:
            return []
        return services.latest(city, city.config.staff.home_announcements)

    return {"latest_announcements": latest, "announcement_time": local_minute}


@blueprint.route("/")
def notices():
    return paged(
        "notices.html",
        lambda: services.published_page(g.city, parse_page(request.args.get("page")), 10),
        title=_("Announcements"),
    )


@blueprint.route("/<int:announcement_id>")
def notice(announcement_id: int):
    row = services.published_one(g.city, announcement_id)
    if row is None:
        abort(404)
    return render("staff/notice.html", title=row.title_zh, row=row)
