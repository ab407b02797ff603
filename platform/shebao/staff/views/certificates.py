"""Certificates: find one by serial number, revoke it with a reason."""

from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _

from ...account.errors import AccountError
from ..access import requires
from ..forms import RevokeForm, SerialForm
from ..services import certificates as services
from .support import action, attach, show


@requires("service")
def certificate():
    lookup = SerialForm(request.args, meta={"csrf": False})
    revoke = RevokeForm()
    found = error = None
    status = 200
    serial = (request.args.get("serial") or request.form.get("serial") or "").strip()
    if request.method == "POST":
        if revoke.validate_on_submit():
            try:
                with action():
                    services.revoke_certificate(g.city, g.staff, serial, revoke.reason.data)
            except AccountError as refusal:
                error = attach(revoke, refusal)
                status = 400
            else:
                flash(_("The certificate was revoked; its verification page now says so."), "info")
                return redirect(url_for("staff.certificate", serial=serial))
        else:
            status = 400
    if serial:
        try:
            found = services.find_certificate(g.city, serial)
        except AccountError as refusal:
            error = attach(lookup, refusal)
            status = 404
    return show(
        "certificate.html",
        title=_("Certificates"),
        lookup=lookup,
        revoke=revoke,
        found=found,
        serial=serial,
        error=error,
    ), status
