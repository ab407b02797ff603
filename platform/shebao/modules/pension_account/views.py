"""养老账户查询: the pension personal account, a statement by year and one year's months."""

from __future__ import annotations

from flask import Blueprint, g, request

from ...people.current import current_person
from ...people.insurance import InsuranceType
from ...web.queries import QueryError, parse_page, parse_year
from ...web.templating import render
from ..contributions import services as contributions
from . import NAME, services

blueprint = Blueprint(NAME, __name__, url_prefix="/pension-account", template_folder="templates")


@blueprint.route("/statement")
def statement():
    person = current_person()
    lines = services.account_statement(g.city, person)
    newest_first = lines[::-1]
    years = [line.year for line in lines]
    per_page = g.city.options(NAME).page_size
    year = years[-1] if years else None
    page = None
    months = None
    error = None
    try:
        year = parse_year(request.args.get("year"), years, default=year)
        if request.args.get("page"):
            number = parse_page(request.args.get("page"))
        else:  # the page that holds the chosen year
            number = services.page_holding(years[::-1].index(year), per_page) if years else 1
        page = services.page_of(newest_first, number, per_page)
        if year is not None:
            months = contributions.contributions_in_year(person, InsuranceType.PENSION, year)
    except QueryError as problem:
        error = str(problem)
    return render(
        "pension_account/statement.html",
        title=g.city.entry_label(NAME, "statement"),
        person=person,
        years=years,
        year=year if year in years else (years[-1] if years else None),
        page=page,
        totals=services.statement_totals(lines),
        months=months,
        month_totals=contributions.totals_of(months or []),
        error=error,
    )
