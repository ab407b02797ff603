"""The portal's own pages: the home page of each city, the care-mode switch, a health probe."""

from __future__ import annotations

from flask import Blueprint, current_app, g, request

from . import display, readiness
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
    """Liveness, for the process supervisor: the process answers. Touches nothing else, so a
    database outage never gets every node restarted at once."""
    return {"status": "ok"}


@blueprint.route("/readyz")
def readyz():
    """Readiness, for the load balancer: 200 when this node can serve residents (database
    and Redis reachable, cities loaded), else 503 naming what is not. Answers on any host."""
    checks = readiness.check(current_app)
    ready = readiness.is_ready(checks)
    return {"status": "ready" if ready else "unavailable", "checks": checks}, 200 if ready else 503
