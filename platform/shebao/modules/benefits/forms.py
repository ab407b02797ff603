"""What a benefit page is asked: a year, optionally a month (or a typed year-month), a page.

The pages change nothing: they read a GET query (no Flask-WTF form, no CSRF token), parsed
here into values, or into a sentence for the user when a value is bad.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _

from ...web.queries import QueryError, ascii_int, parse_page, parse_year, parse_year_month


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
    month = ascii_int(month_text, max_digits=2)
    if month is None or not 1 <= month <= 12:
        raise QueryError(_("Choose a month from the list."))
    return year, month


@dataclass(frozen=True)
class PaymentsQuery:
    year: int
    month: int | None = None
    page: int = 1
    #: What was wrong with the query (year and month are then the last good values), or None.
    error: str | None = None

    @property
    def period(self) -> str:
        """``2024`` or ``2024-05``: the period as the page names it."""
        return f"{self.year}-{self.month:02d}" if self.month else str(self.year)


def parse_payments_query(
    args: Mapping[str, str], years: list[int], default_year: int
) -> PaymentsQuery:
    """The period (a year among ``years``, optionally a month) and the page asked for."""
    year, month = default_year, None
    try:
        year, month = parse_period(args.get("year"), args.get("month"), years, default_year)
        return PaymentsQuery(year=year, month=month, page=parse_page(args.get("page")))
    except QueryError as problem:
        return PaymentsQuery(year=year, month=month, error=str(problem))
