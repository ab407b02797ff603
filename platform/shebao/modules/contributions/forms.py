"""What a history page is asked: a year among the person's insured years, and a page.

The history pages change nothing: they read a GET query (no Flask-WTF form, no CSRF token),
parsed here into values, or into a sentence for the user when a value is bad.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ...web.queries import QueryError, parse_page, parse_year


@dataclass(frozen=True)
class HistoryQuery:
    #: The chosen year: the newest by default, None without records.
    year: int | None
    page: int = 1
    #: What was wrong with the query (the year is then the last good value), or None.
    error: str | None = None


def parse_history_query(args: Mapping[str, str], years: list[int]) -> HistoryQuery:
    """The year (one of ``years``) and the page number asked for."""
    year = years[-1] if years else None
    try:
        year = parse_year(args.get("year"), years, default=year)
        return HistoryQuery(year=year, page=parse_page(args.get("page")))
    except QueryError as problem:
        return HistoryQuery(year=year, error=str(problem))
