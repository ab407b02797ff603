"""消息中心: the resident's messages, paged, newest first; mark one or all as read."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from ...core.time import local_minute
from ...core.transactions import unit_of_work
from ...people.current import current_person
from ...web.queries import Page, QueryError, parse_page
from ...web.templating import render
from . import NAME, services
from .forms import MarkReadForm

blueprint = Blueprint(NAME, __name__, url_prefix="/messages", template_folder="templates")


@blueprint.before_request
def _personal_data():
    g.personal_data = True


def _page_number() -> int:
    try:
        return parse_page(request.args.get("page"))
    except QueryError:
        return 1


def _back():
    page = _page_number()
    return redirect(url_for(".inbox", page=page) if page > 1 else url_for(".inbox"))


@blueprint.route("/")
def inbox():
    error = None
    page = Page(items=[], number=1, per_page=services.page_size(g.city), total=0)
    try:
        page = services.messages_page(
            g.city, current_person(), parse_page(request.args.get("page"))
        )
    except QueryError as problem:
        error = str(problem)
    return render(
        "messages/inbox.html",
        title=g.city.entry_label(NAME, "inbox"),
        page=page,
        error=error,
        form=MarkReadForm(),
        local_time=local_minute,
    )


@blueprint.route("/<int:message_id>/read", methods=["POST"])
def read(message_id: int):
    """Mark one message read; with ``open`` set, go on to the page the message links to."""
    form = MarkReadForm()
    if not form.validate_on_submit():
        flash(_("The form has expired. Please try again."), "error")
        return _back()
    person = current_person()
    if not services.owns(g.city, person, message_id):
        flash(_("There is no such message."), "error")
        return _back()
    with unit_of_work():
        services.mark_read(g.city, person, message_id)
    if request.form.get("open"):
        link = services.link_for(g.city, person, message_id)
        if link:
            return redirect(link)
    return _back()


@blueprint.route("/read-all", methods=["POST"])
def read_all():
    form = MarkReadForm()
    if not form.validate_on_submit():
        flash(_("The form has expired. Please try again."), "error")
        return _back()
    with unit_of_work():
        count = services.mark_all_read(g.city, current_person())
    if count:
        flash(_("All messages are marked as read."), "success")
    return _back()
