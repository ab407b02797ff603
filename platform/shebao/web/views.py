"""The portal's own pages: the home page of each city, the care-mode switch, a health probe."""

from __future__ import annotations

from flask import Blueprint, g, request
from sqlalchemy import text

from ..core.extensions import db
from . import display
from .templating import render

blueprint = Blueprint("portal", __name__)


@blueprint.route("/")
def home():
    return render("home.html", title=g.city.title)


@blueprint.app_context_processor
def display_context():
    return {"care_mode": display.care_mode_on()}


@blueprint.route("/display/care-mode")
def care_mode():
    """The care-mode switch: ``?on=1`` or ``?on=0``, then back to ``next`` (a path here)."""
    return display.switch_care_mode(request.args.get("on") == "1", request.args.get("next"))


@blueprint.route("/healthz")
def healthz():
    """For load balancers: answers on any host; 200 when the database answers."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        return {"status": "database unavailable"}, 503
    return {"status": "ok"}
