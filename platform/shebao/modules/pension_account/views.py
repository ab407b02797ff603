"""养老账户查询: the pension personal account, a statement by year and one year's months.

Thin: read the query (year, page), ask the services, render. Bad parameters become a message
on the page.
"""

from __future__ import annotations

from flask import Blueprint, g, request

from ...people.current import current_person
from ...web.queries import QueryError
from ...web.templating import render
from . import NAME, services
from .forms import parse_statement_query

blueprint = Blueprint(NAME, __name__, url_prefix="/pension-account", template_folder="templates")


@blueprint.route("/statement")
def statement():
    city = g.city
    person = current_person()
    try:
        lines = services.account_statement(city, person)
    except services.NoCreditRule as missing:  # the city's YAML lacks a year: say so, no 500
        lines, missing_rule = [], missing.message
    else:
        missing_rule = None
    years = [line.year for line in lines]
    query = parse_statement_query(request.args, years)
    page = months = None
    error = missing_rule or query.error
    if error is None:
        try:
            page = services.statement_page(city, lines, query.year, query.page)
            if query.year is not None:
                months = services.pension_months(city, person, query.year)
        except QueryError as problem:
            error = str(problem)
    return render(
        "pension_account/statement.html",
        title=city.entry_label(NAME, "statement"),
        person=person,
        years=years,
        year=query.year if query.year in years else (years[-1] if years else None),
        page=page,
        totals=services.statement_totals(lines),
        months=months.months if months else None,
        month_totals=months.totals if months else services.YearTotals(),
        month_credited=months.credited if months else None,
        error=error,
    )
