"""The console's blueprint and its URL map (like ``payments.views``); the pages are thin
views in the modules beside this one. Every page passes ``access.guard`` first (console on,
allowed network, staff session), and each declares its role with ``access.requires``."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint

from ...core.extensions import limiter
from ...core.time import local_minute
from .. import access
from . import admin, announcements, certificates, help, login, money, work

blueprint = Blueprint(
    "staff",
    __name__,
    url_prefix="/staff",
    root_path=str(Path(__file__).resolve().parents[1]),
    template_folder="templates",
)
blueprint.before_request(access.guard)

LOGIN_LIMIT = "20/minute;200/hour"
GET, POST, GET_POST = ["GET"], ["POST"], ["GET", "POST"]
ROUTES = (
    ("/", login.home, GET, "home"),
    ("/login", limiter.limit(LOGIN_LIMIT, methods=["POST"])(login.login), GET_POST, "login"),
    ("/logout", login.logout, POST, "logout"),
    ("/enrol", limiter.limit(LOGIN_LIMIT, methods=["POST"])(login.enrol), GET_POST, "enrol"),
    ("/applications", work.applications, GET, "applications"),
    ("/applications/<int:application_id>", work.decide_application, POST, "decide_application"),
    ("/photos", work.photos, GET, "photos"),
    ("/photos/<int:photo_id>.jpg", work.photo_image, GET, "photo_image"),
    ("/photos/<int:photo_id>", work.review_photo, POST, "review_photo"),
    ("/help", help.lookup, GET_POST, "lookup"),
    ("/help/<int:person_id>", help.resident, GET, "resident"),
    ("/help/<int:person_id>/unlock", help.unlock, POST, "unlock"),
    ("/help/<int:person_id>/reset", help.reset, POST, "reset"),
    ("/certificates", certificates.certificate, GET_POST, "certificate"),
    ("/refunds", money.refunds, GET, "refunds"),
    ("/refunds/<int:notification_id>", money.mark_refunded, POST, "mark_refunded"),
    ("/reconciliation", money.reconciliation, GET, "reconciliation"),
    ("/announcements", announcements.announcements, GET, "announcements"),
    ("/announcements/new", announcements.edit, GET_POST, "new_announcement"),
    ("/announcements/<int:announcement_id>", announcements.edit, GET_POST, "edit_announcement"),
    ("/members", admin.staff_members, GET_POST, "staff_members"),
    ("/members/<int:staff_id>/roles", admin.member_roles, POST, "member_roles"),
    ("/members/<int:staff_id>/active", admin.member_active, POST, "member_active"),
    ("/audit", admin.audit_log, GET, "audit_log"),
)
for rule, view, methods, endpoint in ROUTES:
    blueprint.add_url_rule(rule, endpoint=endpoint, view_func=view, methods=methods)


@blueprint.context_processor
def console_context():
    return {"local_time": local_minute}
