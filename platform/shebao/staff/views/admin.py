"""The city administrator's pages: staff accounts and the audit log."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from ...account.errors import AccountError
from ...web.queries import QueryError, ascii_int
from ..access import requires
from ..forms import MemberForm, RolesForm
from ..services import auditing, members
from .support import action, attach, page_number, paged, per_page, show


def _members_page(form, error, created=None, status=200):
    return show(
        "members.html",
        title=_("Staff accounts"),
        members=members.members(g.city),
        form=form,
        error=error,
        created=created,
        roles_form=RolesForm(),
    ), status


@requires("admin")
def staff_members():
    form = MemberForm()
    if form.validate_on_submit():
        try:
            with action():
                member, code = members.create_member(
                    g.city, form.username.data, form.name.data, form.roles.data, by=g.staff
                )
        except AccountError as refusal:
            return _members_page(form, attach(form, refusal), status=400)
        # Shown once, on this answer only (never stored in the clear, never in a redirect).
        return _members_page(MemberForm(formdata=None), None, created=(member, code))
    if form.is_submitted():
        return _members_page(form, None, status=400)
    return _members_page(form, None)


@requires("admin")
def member_roles(staff_id: int):
    form = RolesForm()
    target = members.member_by_id(g.city, staff_id)
    if target is None:
        abort(404)
    if form.validate_on_submit():
        try:
            with action():
                members.set_roles(
                    g.city,
                    target,
                    form.roles.data,
                    by=g.staff,
                    reason=auditing.require_reason(form.reason.data),
                )
        except AccountError as refusal:
            flash(refusal.message, "error")
        else:
            flash(_("Roles saved."), "info")
    else:
        flash(_("Write the reason for this action."), "error")
    return redirect(url_for("staff.staff_members"))


@requires("admin")
def member_active(staff_id: int):
    form = RolesForm()
    target = members.member_by_id(g.city, staff_id)
    if target is None:
        abort(404)
    active = request.form.get("active") == "1"
    try:
        with action():
            members.set_active(
                g.city, target, active, by=g.staff, reason=auditing.require_reason(form.reason.data)
            )
    except AccountError as refusal:
        flash(refusal.message, "error")
    else:
        flash(
            _("Account reactivated.") if active else _("Account deactivated: its sessions ended."),
            "info",
        )
    return redirect(url_for("staff.staff_members"))


def _filters():
    staff_id = ascii_int(request.args.get("staff") or "") if request.args.get("staff") else None
    event = (request.args.get("event") or "")[:48] or None
    raw_day = request.args.get("day") or ""
    day = None
    if raw_day:
        try:
            day = date.fromisoformat(raw_day)
        except ValueError:
            raise QueryError(_("Enter the day as YYYY-MM-DD.")) from None
    return staff_id, event, day


def _audit_page():
    """The page of the log the filters ask for, or its CSV download."""
    staff_id, event, day = _filters()
    if request.args.get("format") == "csv":
        return Response(
            auditing.log_csv(g.city, staff_id=staff_id, event=event, day=day),
            mimetype="text/csv",
            headers={
                "Content-Disposition": f"attachment; filename=audit-{g.city.code}.csv",
                "Cache-Control": "no-store",
            },
        )
    return auditing.log_page(
        g.city, page_number(), per_page(), staff_id=staff_id, event=event, day=day
    )


@requires("admin")
def audit_log():
    return paged(
        "audit.html",
        _audit_page,
        title=_("Audit log"),
        members=members.members(g.city),
        events=auditing.events(g.city),
        args=request.args,
    )
