"""Benefit pages, one per benefit type the city shows: a year (and optionally a month), 查询,
the payments with their items, and the period's total."""

from __future__ import annotations

from flask import Blueprint, g, request
from flask_babel import gettext as _

from ...core.time import local_today
from ...people.current import current_person
from ...web.queries import QueryError, parse_page, parse_year, parse_year_month
from ...web.templating import render
from . import NAME, services, vocabulary

blueprint = Blueprint(NAME, __name__, url_prefix="/benefits", template_folder="templates")


def parse_period(
    raw_year: str | None, raw_month: str | None, years: list[int], default: int
) -> tuple[int, int | None]:
    """(year, month or None) from the year list and the month list, or from a typed year-month.

    The manual says "输入查询年月": besides choosing a year and, optionally, a month, a
    year-month such as ``2024-05`` typed into the month field is accepted.
    """
    month_text = (raw_month or "").strip()
    if len(month_text) > 2:
        chosen = parse_year_month(month_text)
        return parse_year(str(chosen.year), years), chosen.month
    year = parse_year(raw_year, years, default)
    if not month_text:
        return year, None
    if not (month_text.isascii() and month_text.isdigit() and 1 <= int(month_text) <= 12):
        raise QueryError(_("Choose a month from the list."))
    return year, int(month_text)


def _benefit_page(benefit_type: str):
    person = current_person()
    years = services.payment_years(person, benefit_type)
    this_year = local_today().year
    choices = sorted({*years, this_year}, reverse=True)
    year, month = (years[0] if years else this_year), None
    page = total = error = None
    try:
        year, month = parse_period(
            request.args.get("year"), request.args.get("month"), choices, year
        )
        page = services.payments(
            person, benefit_type, year, month, parse_page(request.args.get("page"))
        )
        total = services.period_total(person, benefit_type, year, month)
    except QueryError as problem:
        error = str(problem)
    return render(
        "benefits/payments.html",
        title=g.city.entry_label(NAME, benefit_type),
        benefit_type=benefit_type,
        years=choices,
        year=year,
        month=month,
        period=f"{year}-{month:02d}" if month else str(year),
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
