"""社保卡信息采集 and 照片采集 pages: thin views that parse a form, call the services, render."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...core.extensions import limiter
from ...core.transactions import unit_of_work
from ...integrations.storage import StorageError
from ...people.current import current_person
from ...web.templating import render
from . import NAME, services
from .ethnicities import ETHNICITIES
from .forms import ApplicationForm, PhotoForm
from .models import ACCEPTED, APPROVED
from .photos import PhotoRefused, read_upload

blueprint = Blueprint(NAME, __name__, url_prefix="/card-collection", template_folder="templates")
POST_LIMIT = "30/minute;200/hour"

APPLICATION_STATUS = {
    "draft": _l("Draft, not submitted yet"),
    "submitted": _l("Submitted, waiting for the card office"),
    "accepted": _l("Accepted"),
    "returned": _l("Returned"),
}
PHOTO_STATUS = {
    "pending": _l("Waiting for review"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
}


NOTHING_SAVED = _l("Please correct the fields marked below. Nothing has been saved.")


@blueprint.before_request
def _personal_data():
    g.personal_data = True


@blueprint.route("/info", methods=["GET", "POST"])
@limiter.limit(POST_LIMIT, methods=["POST"])
def info():
    city, person = g.city, current_person()
    options = services.options_of(city)
    application = services.application_of(city, person)
    form = ApplicationForm()
    form.fill_choices(options)
    error = None
    if request.method == "GET":
        form.fill(services.form_values(city, person, application))
    if form.is_submitted():
        submit = bool(form.submit.data)
        values = {name: getattr(form, name).data for name in services.FIELDS}
        if application is not None and application.status == ACCEPTED:
            error = _("Your application has been accepted and can no longer be changed.")
        elif not form.validate():
            # Name every problem at once: the city's lists and the required fields as well.
            problems = services.check_application(options, values, submit=submit)[1]
            form.attach(problems, only_clean_fields=True)
            error = str(NOTHING_SAVED)
        else:
            try:
                with unit_of_work():
                    services.save_application(city, person, values, submit=submit)
            except services.CollectionError as refusal:
                error = form.attach(refusal.errors) or str(NOTHING_SAVED)
            else:
                flash(
                    _("Your application has been submitted.")
                    if submit
                    else _("Your draft has been saved. Submit it when it is complete."),
                    "success",
                )
                return redirect(url_for(".info"))
    return render(
        "card_collection/info.html",
        title=city.entry_label(NAME, "info"),
        form=form,
        person=person,
        application=application,
        error=error,
        status_label=APPLICATION_STATUS,
        bank_label=lambda code: services.bank_label(options, code),
        point_label=lambda stored: services.point_label(options, stored),
        ethnicity_label=lambda code: ETHNICITIES.get(code, ""),
        editable=application is None or application.status != ACCEPTED,
    )


@blueprint.route("/photo", methods=["GET", "POST"])
@limiter.limit(POST_LIMIT, methods=["POST"])
def photo():
    city, person = g.city, current_person()
    spec = services.options_of(city).photo
    current = services.photo_of(city, person)
    form = PhotoForm()
    error = None
    if form.is_submitted():
        if not form.validate():
            error = _("The form has expired. Please choose the photo again.")
        else:
            upload = form.photo.data
            try:
                data = read_upload(
                    getattr(upload, "stream", None) if upload else None, spec.max_bytes
                )
                with services.photo_upload(city, person, data) as stored, unit_of_work():
                    services.record_photo(city, person, stored)
            except PhotoRefused as refusal:
                form.photo.errors = [*form.photo.errors, refusal.message]
                error = _("The photo was not accepted. Nothing has been saved.")
            else:
                flash(_("Your photo has been uploaded and is waiting for review."), "success")
                return redirect(url_for(".photo"))
    return render(
        "card_collection/photo.html",
        title=city.entry_label(NAME, "photo"),
        form=form,
        photo=current,
        spec=spec,
        error=error,
        status_label=PHOTO_STATUS,
        replaceable=current is None or current.status != APPROVED,
    )


@blueprint.route("/photo/image.jpg")
def photo_image():
    """The logged-in person's own stored photo; nobody else's can be asked for."""
    current = services.photo_of(g.city, current_person())
    if current is None:
        abort(404)
    try:
        data = services.photo_bytes(current)
    except StorageError:  # a missing file is a 404, not a 500
        abort(404)
    response = Response(data, mimetype="image/jpeg")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    return response
