"""社保卡信息采集 and 照片采集 pages: thin views that parse a form, call the services, render."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...core.extensions import limiter
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


@blueprint.before_request
def _personal_data():
    g.personal_data = True


def _options():
    return g.city.options(NAME)


@blueprint.route("/info", methods=["GET", "POST"])
@limiter.limit(POST_LIMIT, methods=["POST"])
def info():
    options = _options()
    person = current_person()
    application = services.application_of(person)
    form = ApplicationForm()
    form.fill_choices(options)
    error = None
    if request.method == "GET" and application is not None:
        for name in ("nationality", "ethnicity", "phone", "address", "occupation", "bank"):
            getattr(form, name).data = getattr(application, name) or ""
        form.collection_point.data = services.point_number(options, application.collection_point)
    elif request.method == "GET":
        form.phone.data = person.phone or ""
        form.nationality.data = _("China")
    if form.is_submitted():
        if application is not None and application.status == ACCEPTED:
            error = _("Your application has been accepted and can no longer be changed.")
        elif not form.validate():
            # Name every problem at once: the city's lists and the required fields as well.
            values = {name: getattr(form, name).data for name in services.FIELDS}
            errors = services.check_application(options, values, submit=bool(form.submit.data))[1]
            _attach(form, services.CollectionError(errors), only_clean_fields=True)
            error = _("Please correct the fields marked below. Nothing has been saved.")
        else:
            submit = bool(form.submit.data)
            values = {name: getattr(form, name).data for name in services.FIELDS}
            try:
                services.save_application(options, person, values, submit=submit)
            except services.CollectionError as refusal:
                error = _attach(form, refusal)
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
        title=g.city.entry_label(NAME, "info"),
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


def _attach(form, refusal: services.CollectionError, only_clean_fields: bool = False) -> str:
    """Put each refusal next to its field; return what belongs to the whole form."""
    general = []
    for name, message in refusal.errors.items():
        field = getattr(form, name, None) if name else None
        if field is not None and only_clean_fields and field.errors:
            continue
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            general.append(message)
    return " ".join(general) or _("Please correct the fields marked below. Nothing has been saved.")


@blueprint.route("/photo", methods=["GET", "POST"])
@limiter.limit(POST_LIMIT, methods=["POST"])
def photo():
    options = _options()
    person = current_person()
    current = services.photo_of(person)
    form = PhotoForm()
    error = None
    if form.is_submitted():
        if not form.validate():
            error = _("The form has expired. Please choose the photo again.")
        else:
            upload = form.photo.data
            try:
                data = read_upload(
                    getattr(upload, "stream", None) if upload else None, options.photo.max_bytes
                )
                services.store_photo(g.city.code, options, person, data)
            except PhotoRefused as refusal:
                form.photo.errors = [*form.photo.errors, refusal.message]
                error = _("The photo was not accepted. Nothing has been saved.")
            else:
                flash(_("Your photo has been uploaded and is waiting for review."), "success")
                return redirect(url_for(".photo"))
    return render(
        "card_collection/photo.html",
        title=g.city.entry_label(NAME, "photo"),
        form=form,
        photo=current,
        spec=options.photo,
        error=error,
        status_label=PHOTO_STATUS,
        replaceable=current is None or current.status != APPROVED,
    )


@blueprint.route("/photo/image.jpg")
def photo_image():
    """The logged-in person's own stored photo; nobody else's can be asked for."""
    current = services.photo_of(current_person())
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
