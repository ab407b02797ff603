"""The portal's own pages: the home page of each city and a health probe."""

from __future__ import annotations

from flask import Blueprint, g
from sqlalchemy import text

from ..core.extensions import db
from .templating import render

blueprint = Blueprint("portal", __name__)


@blueprint.route("/")
def home():
    return render("home.html", title=g.city.title)


@blueprint.route("/healthz")
def healthz():
    """For load balancers: answers on any host; 200 when the database answers."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        return {"status": "database unavailable"}, 503
    return {"status": "ok"}
