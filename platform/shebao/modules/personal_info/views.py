"""Personal information pages: thin views that read the query, call the services and render."""

from __future__ import annotations

from flask import Blueprint, g, request
from flask_babel import gettext as _

from ...core.time import format_day, format_moment
from ...people.categories import CATEGORIES, SEXES
from ...people.current import current_person
from ...people.idnumber import mask_phone
from ...web.templating import render
from . import NAME, services
from .forms import KEEP_AT_MOST, SerialForm
from .vocabulary import KIND_LABELS, STATUS_LABELS, STEP_LABELS

blueprint = Blueprint(NAME, __name__, url_prefix="/personal-info", template_folder="templates")


@blueprint.route("/basic")
def basic():
    info = services.basic_info(g.city, current_person())
    return render(
        "personal_info/basic.html",
        title=g.city.entry_label(NAME, "basic"),
        info=info,
        phone=mask_phone(info.person.phone),
        category=CATEGORIES.get(info.person.category, info.person.category),
        sex=SEXES.get(info.person.sex, info.person.sex),
        local_date=format_day,
        progress_offered=g.city.entry_enabled(NAME, "progress"),
    )


@blueprint.route("/progress")
def progress():
    person = current_person()
    form = SerialForm(formdata=request.args)
    asked = "serial" in request.args
    case = None
    message = None
    if asked:
        if not form.serial.data:
            form.serial.errors = [_("Enter the business serial number.")]
        elif form.validate():
            case = services.find_case(g.city, person, form.serial.data)
            if case is None:
                message = _(
                    "No business with this serial number was found in your records. "
                    "Check the number on your receipt and try again."
                )
        if form.serial.data and len(form.serial.data) > KEEP_AT_MOST:
            form.serial.data = ""
    return render(
        "personal_info/progress.html",
        title=g.city.entry_label(NAME, "progress"),
        form=form,
        case=case,
        steps=services.step_states(case) if case else [],
        message=message,
        recent=services.recent_cases(g.city, person),
        kinds=KIND_LABELS,
        statuses=STATUS_LABELS,
        step_names=STEP_LABELS,
        local_time=format_moment,
        local_date=format_day,
    )
