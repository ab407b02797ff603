"""Benefit pages, one per benefit type the city shows: a year (and optionally a month), 查询,
the payments with their items, and the period's total.

Thin: read the query, ask the services, render. Bad parameters become a message on the page.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, g, request

from ...core.time import format_month, local_today
from ...people.current import current_person
from ...web.queries import QueryError
from ...web.templating import render
from . import NAME, services, vocabulary
from .forms import parse_payments_query

blueprint = Blueprint(NAME, __name__, url_prefix="/benefits", template_folder="templates")


def _benefit_page(benefit_type: str):
    city = g.city
    person = current_person()
    years = services.payment_years(city, person, benefit_type)
    this_year = local_today().year
    choices = sorted({*years, this_year}, reverse=True)
    query = parse_payments_query(request.args, choices, years[0] if years else this_year)
    page = total = None
    error = query.error
    if error is None:
        try:
            page = services.payments(
                city, person, benefit_type, query.year, query.month, query.page
            )
            total = services.period_total(city, person, benefit_type, query.year, query.month)
        except QueryError as problem:
            error = str(problem)
    return render(
        "benefits/payments.html",
        title=city.entry_label(NAME, benefit_type),
        benefit_type=benefit_type,
        years=choices,
        year=query.year,
        month=query.month,
        # The month as Babel writes it in the page's language; a whole year as its number.
        period=format_month(date(query.year, query.month, 1)) if query.month else query.period,
        page=page,
        total=total,
        error=error,
        on_record=bool(years),
        none_on_record=vocabulary.NONE_ON_RECORD[benefit_type],
        item_label=vocabulary.item_label,
    )


def _view(benefit_type: str):
    def view():
        return _benefit_page(benefit_type)

    view.__name__ = benefit_type
    view.__doc__ = f"Payments of the {benefit_type} benefit."
    return view


for _type in vocabulary.BENEFIT_TYPES:
    blueprint.add_url_rule("/" + _type.replace("_", "-"), endpoint=_type, view_func=_view(_type))
