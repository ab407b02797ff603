"""What the statement page is asked: a year (its months are listed) and, optionally, a page.

The page changes nothing: it reads a GET query (no Flask-WTF form, no CSRF token), parsed
here into values, or into a sentence for the user when a value is bad.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ...web.queries import QueryError, parse_page, parse_year


@dataclass(frozen=True)
class StatementQuery:
    #: The chosen year: the newest by default, None without records.
    year: int | None
    #: The page asked for; None means the page that holds the chosen year.
    page: int | None = None
    #: What was wrong with the query (the year is then the last good value), or None.
    error: str | None = None


def parse_statement_query(args: Mapping[str, str], years: list[int]) -> StatementQuery:
    year = years[-1] if years else None
    try:
        year = parse_year(args.get("year"), years, default=year)
        page = parse_page(args.get("page")) if args.get("page") else None
        return StatementQuery(year=year, page=page)
    except QueryError as problem:
        return StatementQuery(year=year, error=str(problem))
