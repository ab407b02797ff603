"""缴费历史 pages: one per insurance type, a year at a time, paged.

Thin: read the query (year, page), ask the services, render. Bad parameters become a message
on the page (never a 500, never another person's rows).
"""

from __future__ import annotations

from flask import Blueprint, g, request

from ...people.current import current_person
from ...people.insurance import InsuranceType
from ...web.queries import QueryError
from ...web.templating import render
from . import NAME, services
from .chart import pension_summary
from .forms import parse_history_query

blueprint = Blueprint(
    NAME,
    __name__,
    url_prefix="/contributions",
    template_folder="templates",
    static_folder="static",
)


def history(insurance_type: str):
    city = g.city
    person = current_person()
    # One aggregate query gives the year list, the chosen year's totals and the pension
    # summary; one more reads the page's rows.
    lines = services.yearly_summary(city, person, insurance_type)
    years = [line.year for line in lines]
    query = parse_history_query(request.args, years)
    result = None
    error = query.error
    if error is None and query.year is not None:
        try:
            result = services.contribution_history(
                city, person, insurance_type, query.year, query.page, summary=lines
            )
        except QueryError as problem:
            error = str(problem)
    summary = None
    if insurance_type == InsuranceType.PENSION and years:
        summary = pension_summary(lines)
    return render(
        "contributions/history.html",
        title=city.entry_label(NAME, insurance_type),
        insurance=InsuranceType(insurance_type),
        resident=insurance_type in services.RESIDENT_TYPES,
        person=person,
        years=years,
        year=query.year if query.year in years else (years[-1] if years else None),
        history=result,
        error=error,
        summary=summary,
        pension_account=insurance_type == InsuranceType.PENSION
        and city.entry_enabled("pension_account", "statement"),
    )


for _kind in InsuranceType:
    blueprint.add_url_rule(
        "/" + _kind.value.replace("_", "-"),
        endpoint=_kind.value,
        view_func=history,
        defaults={"insurance_type": _kind.value},
    )
