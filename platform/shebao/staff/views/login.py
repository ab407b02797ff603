"""Logging in and out, enrolment, and the console's start page."""

from __future__ import annotations

from flask import flash, g, make_response, redirect, request, url_for
from flask_babel import gettext as _

from ...account.errors import AccountError
from ...core.transactions import unit_of_work
from .. import sessions
from ..forms import EnrolFinishForm, EnrolStartForm, LoginForm
from ..services import members
from ..services.auditing import record
from .support import action, attach, show


def _refused_message(why: str | None) -> str | None:
    if why == "idle":
        return _("You were logged out after a while without activity. Please log in again.")
    if why == "absolute":
        return _("Your staff session reached its longest time. Please log in again.")
    if why in {"unknown", "ended"}:
        return _(
            "Your staff session is not valid here (it ended, or belongs to another city). "
            "Please log in."
        )
    return None


def login():
    form = LoginForm()
    error = _refused_message(request.args.get("why")) if request.method == "GET" else None
    if form.validate_on_submit():
        try:
            with action():
                member = members.log_in(
                    g.city, form.username.data, form.password.data, form.totp.data
                )
                sessions.end_session(g.city, request.cookies.get(sessions.COOKIE), "renewed")
                session_id = sessions.open_session(g.city, member)
        except AccountError as refusal:
            error = attach(form, refusal)
        else:
            response = make_response(redirect(url_for("staff.home")))
            sessions.set_cookie(response, session_id)
            return response
    return show("login.html", title=_("Staff login"), form=form, error=error)


def logout():
    with unit_of_work():
        sessions.end_session(g.city, request.cookies.get(sessions.COOKIE), "logout")
        if g.staff is not None:
            record("logout", g.city, g.staff)
    flash(_("You have logged out of the staff console."), "info")
    response = make_response(redirect(url_for("staff.login")))
    sessions.clear_cookie(response)
    return response


def enrol():
    """Step 1: user name and enrolment code; step 2: the QR code, a password, a first code."""
    finish = EnrolFinishForm()
    error = None
    if request.method == "POST" and "password" in request.form:
        if finish.validate_on_submit():
            try:
                with action():
                    members.complete_enrolment(
                        g.city,
                        finish.username.data,
                        finish.code.data,
                        finish.password.data,
                        finish.confirm.data,
                        finish.totp.data,
                    )
            except AccountError as refusal:
                error = attach(finish, refusal)
            else:
                flash(_("Enrolment complete. Log in with your password and a new code."), "info")
                return redirect(url_for("staff.login"))
        try:
            member = members.pending_enrolment(g.city, finish.username.data, finish.code.data)
        except AccountError as refusal:
            return show(
                "enrol.html",
                title=_("Staff enrolment"),
                form=EnrolStartForm(),
                error=refusal.message,
            )
        return _finish_page(member, finish, error)
    start = EnrolStartForm()
    if start.validate_on_submit():
        try:
            member = members.pending_enrolment(g.city, start.username.data, start.code.data)
        except AccountError as refusal:
            error = refusal.message
        else:
            finish = EnrolFinishForm(formdata=None, username=member.username, code=start.code.data)
            return _finish_page(member, finish, None)
    return show("enrol.html", title=_("Staff enrolment"), form=start, error=error)


def _finish_page(member, form, error):
    uri = members.provisioning_uri(g.city, member)
    return show(
        "enrol_finish.html",
        title=_("Staff enrolment"),
        form=form,
        error=error,
        member=member,
        secret=member.totp_secret,
        qr=members.qr_svg_data_uri(uri),
    )


def home():
    return show("home.html", title=_("Staff console"))
