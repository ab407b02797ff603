"""Resident help: look up, account state, unlock, password reset."""

from __future__ import annotations

from flask import flash, g, redirect, url_for
from flask_babel import gettext as _

from ...account.errors import AccountError
from ..access import requires
from ..forms import HelpActionForm, LookupForm
from ..services import help as services
from ..services.work import notify_resident
from .support import action, attach, show


@requires("service")
def lookup():
    form = LookupForm()
    error = None
    if form.validate_on_submit():
        try:
            person = services.find_resident(g.city, form.id_number.data)
        except AccountError as refusal:
            error = attach(form, refusal)
        else:
            # The full number was typed once; every page after shows it masked.
            return redirect(url_for("staff.resident", person_id=person.id))
    return show("lookup.html", title=_("Resident help"), form=form, error=error)


@requires("service")
def resident(person_id: int):
    try:
        person = services.person_in_city(g.city, person_id)
    except AccountError:
        return show(
            "lookup.html",
            title=_("Resident help"),
            form=LookupForm(),
            error=_("No such resident in this city."),
        ), 404
    return show(
        "resident.html",
        title=_("Resident help"),
        state=services.account_state(g.city, person),
        unlock_form=HelpActionForm(prefix="unlock"),
        reset_form=HelpActionForm(prefix="reset"),
        error=None,
    )


def _act(person_id: int, prefix: str, perform):
    try:
        person = services.person_in_city(g.city, person_id)
    except AccountError:
        return show(
            "lookup.html",
            title=_("Resident help"),
            form=LookupForm(),
            error=_("No such resident in this city."),
        ), 404
    form = HelpActionForm(prefix=prefix)
    error = None
    if form.validate_on_submit():
        try:
            with action():
                message = perform(person, form.reason.data)
        except AccountError as refusal:
            error = attach(form, refusal)
        else:
            flash(message, "info")
            return redirect(url_for("staff.resident", person_id=person.id))
    forms = {"unlock": HelpActionForm(prefix="unlock"), "reset": HelpActionForm(prefix="reset")}
    forms[prefix] = form
    return show(
        "resident.html",
        title=_("Resident help"),
        state=services.account_state(g.city, person),
        unlock_form=forms["unlock"],
        reset_form=forms["reset"],
        error=error,
    ), 400


@requires("service")
def unlock(person_id: int):
    def perform(person, reason):
        cleared = services.unlock_resident(g.city, g.staff, person, reason)
        return _("The lock was lifted.") if cleared else _("There was no lock; nothing changed.")

    return _act(person_id, "unlock", perform)


@requires("service")
def reset(person_id: int):
    sent = []

    def perform(person, reason):
        how, notice = services.reset_resident_password(g.city, g.staff, person, reason)
        if notice:
            sent.append(notice)
            return _("A new password was sent to the resident's reserved mobile number.")
        return _(
            "The password is the city's initial password again; the resident must change it "
            "at the next login."
        )

    response = _act(person_id, "reset", perform)
    for notice in sent:
        notify_resident(g.city, notice)
    return response
