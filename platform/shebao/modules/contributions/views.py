"""缴费历史 pages: one per insurance type, a year at a time, paged.

Thin: read the query (year, page), ask the services, render. Bad parameters become a message
on the page (never a 500, never another person's rows).
"""

from __future__ import annotations

from flask import Blueprint, g, request
from flask_babel import gettext as _

from ...core.money import format_money as money
from ...people.current import current_person
from ...people.insurance import InsuranceType
from ...web.queries import QueryError, parse_page, parse_year
from ...web.templating import render
from . import NAME, services
from .chart import bar_chart

blueprint = Blueprint(
    NAME,
    __name__,
    url_prefix="/contributions",
    template_folder="templates",
    static_folder="static",
)


def history(insurance_type: str):
    person = current_person()
    years = services.insured_years(person, insurance_type)
    year = years[-1] if years else None
    result = None
    error = None
    try:
        year = parse_year(request.args.get("year"), years, default=year)
        page = parse_page(request.args.get("page"))
        if year is not None:
            result = services.contribution_history(g.city, person, insurance_type, year, page)
    except QueryError as problem:
        error = str(problem)
    summary = None
    if insurance_type == InsuranceType.PENSION and years:
        summary = _pension_summary(services.yearly_summary(person, insurance_type))
    return render(
        "contributions/history.html",
        title=g.city.entry_label(NAME, insurance_type),
        insurance=InsuranceType(insurance_type),
        resident=insurance_type in services.RESIDENT_TYPES,
        person=person,
        years=years,
        year=year if year in years else (years[-1] if years else None),
        history=result,
        error=error,
        summary=summary,
        pension_account=insurance_type == InsuranceType.PENSION
        and g.city.entry_enabled("pension_account", "statement"),
    )


def _pension_summary(lines: list[services.YearSummary]) -> dict:
    """The pension page's two charts and the table that carries the same figures."""
    first, last = lines[0], lines[-1]
    bases = [(str(line.year), (line.totals.average_base,)) for line in lines]
    paid = [(str(line.year), (line.totals.individual, line.totals.employer)) for line in lines]
    most = max(lines, key=lambda line: (line.totals.total, line.year))
    return {
        "lines": lines,
        "all_years": services.all_years(lines),
        "base_chart": bar_chart((_("Average monthly base"),), bases),
        "base_text": _(
            "Average monthly contribution base by year, from %(first)s (%(start)s yuan) to "
            "%(last)s (%(end)s yuan). The table below lists every year.",
            first=first.year,
            last=last.year,
            start=money(first.totals.average_base),
            end=money(last.totals.average_base),
        ),
        "paid_chart": bar_chart((_("Individual part"), _("Employer part")), paid),
        "paid_text": _(
            "Amount paid per year, individual and employer parts, from %(first)s to %(last)s; "
            "the most was %(most)s yuan in %(year)s. The table below lists every year.",
            first=first.year,
            last=last.year,
            most=money(most.totals.total),
            year=most.year,
        ),
    }


for _kind in InsuranceType:
    blueprint.add_url_rule(
        "/" + _kind.value.replace("_", "-"),
        endpoint=_kind.value,
        view_func=history,
        defaults={"insurance_type": _kind.value},
    )
