"""养老金测算: one page, a GET form of assumptions and the estimate under them.

Thin: read the person and the query, ask the services, render. Bad assumptions become
messages by their fields (the recorded facts are never in the form); nothing is written.
"""

from __future__ import annotations

from flask import Blueprint, g, request
from flask_babel import gettext as _

from ...core.time import local_today
from ...people.current import current_person
from ...web.templating import render
from . import NAME, services
from .calculation import EstimateError
from .chart import stacked_bars
from .forms import AssumptionsForm, age_label
from .retirement import original_age, retirement_month

blueprint = Blueprint(NAME, __name__, url_prefix="/pension-estimate", template_folder="templates")


@blueprint.route("/")
def estimate():
    city = g.city
    person = current_person()
    today = local_today()
    context = {"title": city.entry_label(NAME, "estimate"), "person": person}
    try:
        kind = services.kind_of(person)
        if kind == "resident":
            facts = services.resident_facts(city, person, today)
            choices = services.resident_choices(city, person, facts)
        else:
            facts = services.employee_facts(city, person, today)
            women_original = services.women_original_of(request.args, person)
            choices = services.employee_choices(city, person, facts, women_original)
    except services.NotEstimated as refusal:
        return render("pension_estimate/estimate.html", not_estimated=refusal.message, **context)

    form = AssumptionsForm(request.args, choices)
    parsed = services.parse_assumptions(request.args, choices)
    form.attach(parsed.problems)
    context.update(kind=kind, form=form, facts=facts, choices=choices, error=None, result=None)
    if not parsed.problems:
        try:
            if kind == "resident":
                context["result"] = services.estimate_resident(
                    city, person, facts, parsed.values, today
                )
            else:
                result = services.estimate_employee(city, person, facts, choices, parsed.values)
                context["result"] = result
                context["chart"] = stacked_bars(
                    (_("Pooled basic pension"), _("Personal-account pension"), _("Transitional")),
                    [
                        (
                            age_label(line.estimate.age),
                            (
                                line.estimate.basic,
                                line.estimate.account,
                                line.estimate.transitional or 0,
                            ),
                            line is result.chosen,
                        )
                        for line in result.by_age
                    ],
                )
        except EstimateError as problem:
            form.base_amount.errors = [str(problem)]
        except services.NotEstimated as refusal:
            context["not_estimated"] = refusal.message
    if kind == "employee":
        original = original_age(person.sex, choices.women_original)
        context["original_age"] = original
        context["statutory_month"] = retirement_month(person.birth_date, choices.statutory)
        context["age_label"] = age_label
    context["has_errors"] = any(field.errors for field in form)
    return render("pension_estimate/estimate.html", **context)
