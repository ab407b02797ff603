"""What every query page shares: reading year / year-month / page parameters, and paging.

Bad parameters never reach the database and never make a 500: each parse function returns
the value or raises ``QueryError`` with a sentence for the user; pages show it and an empty
result.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from ..core.extensions import db

MAX_PARAM = 32
_YEAR_MONTH = re.compile(r"^([0-9]{4})-?([0-9]{2})$")


class QueryError(ValueError):
    """A query parameter a user can fix; ``str(error)`` is the message to show."""


def parse_year(raw: str | None, years: list[int], default: int | None = None) -> int | None:
    """A year among ``years`` (the person's insured years), the default when absent."""
    if raw is None or raw == "":
        return default
    if len(raw) > MAX_PARAM or not raw.strip().isdigit():
        raise QueryError(_("Choose a year from the list."))
    year = int(raw.strip())
    if year not in years:
        raise QueryError(
            _("There are no records for %(year)s. Choose a year from the list.", year=year)
        )
    return year


def parse_year_month(raw: str | None, default: date | None = None) -> date | None:
    """``2024-05`` or ``202405`` → the first day of that month."""
    if raw is None or raw == "":
        return default
    match = _YEAR_MONTH.match(raw.strip()) if len(raw) <= MAX_PARAM else None
    if not match or not 1 <= int(match.group(2)) <= 12 or not 1990 <= int(match.group(1)) <= 2100:
        raise QueryError(_("Enter the month as year-month, for example 2024-05."))
    return date(int(match.group(1)), int(match.group(2)), 1)


def parse_page(raw: str | None) -> int:
    if raw is None or raw == "":
        return 1
    if len(raw) > MAX_PARAM or not raw.strip().isdigit() or int(raw) < 1:
        raise QueryError(_("The page number must be a whole number from 1 up."))
    return int(raw)


def search_text(raw: str | None, limit: int = 50) -> str:
    """A search string, trimmed; longer than ``limit`` is refused (not silently cut)."""
    text = (raw or "").strip()
    if len(text) > limit:
        raise QueryError(_("Search text can have at most %(n)s characters.", n=limit))
    return text


@dataclass(frozen=True)
class Page:
    items: list[Any]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def paginate(statement: Select, number: int, per_page: int, scalars: bool = True) -> Page:
    """One page of an ORM select (scoped to the city like any ORM query).

    A page past the end raises ``QueryError`` (except page 1 of an empty result).
    """
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    pages = max(1, math.ceil(total / per_page))
    if number > pages:
        raise QueryError(
            _("There is no page %(n)s; the last page is %(last)s.", n=number, last=pages)
        )
    windowed = statement.limit(per_page).offset((number - 1) * per_page)
    result = db.session.scalars(windowed) if scalars else db.session.execute(windowed)
    return Page(items=list(result.all()), number=number, per_page=per_page, total=total)
