"""What every query page shares: reading numbers, year / year-month / page parameters and
search text from a request, and paging.

Bad parameters never reach the database and never make a 500: each parse function returns
the value or raises ``QueryError`` with a sentence for the user; pages show it and an empty
result.

Numbers are ASCII digits only. ``str.isdigit()`` is true for "²", "①", "１２" and "٣", and
``int()`` or ``Decimal()`` accept some of them and raise on others (``int("²")``), so every
number a request carries is read by ``ascii_int`` or ``ascii_decimal`` here, nowhere else.
Text is refused when it holds control characters (``has_control_characters``): a NUL byte
makes PostgreSQL refuse the whole statement, and none of them means anything in a form.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select

from ..core.extensions import db

#: Longest parameter read as a number or a year-month (a longer one is refused unread).
MAX_PARAM = 32
_YEAR_MONTH = re.compile(r"([0-9]{4})-?([0-9]{2})")
_ASCII_NUMBER = re.compile(r"([0-9]+)(?:\.([0-9]+))?")


def _control_pattern(allowed: str) -> re.Pattern[str]:
    """C0 and C1 controls (bar ``allowed``), DEL, lone surrogates and the noncharacters."""
    c0 = "".join(chr(code) for code in range(0x20) if chr(code) not in allowed)
    planes = "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17))
    return re.compile(
        "[" + re.escape(c0) + "\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef" + re.escape(planes) + "]"
    )


_CONTROL_IN_LINE = _control_pattern("")
_CONTROL_IN_TEXT = _control_pattern("\t\n\r")
CONTROL_CHARACTERS_MESSAGE = _l(
    "This contains invisible control characters. Please type it again without them."
)


class QueryError(ValueError):
    """A query parameter a user can fix; ``str(error)`` is the message to show."""


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    """True when ``text`` holds a character no form field may hold.

    ``multiline`` (a text area) allows tab and line breaks; a one-line field allows none.
    """
    return bool((_CONTROL_IN_TEXT if multiline else _CONTROL_IN_LINE).search(text))


def without_control_characters(text: str, *, multiline: bool = False) -> str:
    return (_CONTROL_IN_TEXT if multiline else _CONTROL_IN_LINE).sub("", text)


def ascii_int(raw: str | None, max_digits: int = MAX_PARAM) -> int | None:
    """The whole number ``raw`` writes in ASCII digits (spaces around allowed), else None.

    No sign, no exponent, no other script's digits, at most ``max_digits`` digits.
    """
    number = ascii_decimal(raw, places=0, max_digits=max_digits)
    return None if number is None else int(number)


def ascii_decimal(raw: str | None, *, places: int = 2, max_digits: int = 10) -> Decimal | None:
    """``4500`` or ``4500.50`` in ASCII digits: at most ``max_digits`` digits before the point
    and ``places`` after it; else None (never NaN, an infinity or an exponent)."""
    text = (raw or "").strip()
    match = _ASCII_NUMBER.fullmatch(text) if len(text) <= max_digits + places + 1 else None
    if match is None:
        return None
    whole, fraction = match.groups()
    if len(whole) > max_digits or len(fraction or "") > places:
        return None
    return Decimal(text)


def parse_year(raw: str | None, years: list[int], default: int | None = None) -> int | None:
    """A year among ``years`` (the person's insured years), the default when absent."""
    if raw is None or raw == "":
        return default
    year = ascii_int(raw) if len(raw) <= MAX_PARAM else None
    if year is None:
        raise QueryError(_("Choose a year from the list."))
    if year not in years:
        raise QueryError(
            _("There are no records for %(year)s. Choose a year from the list.", year=year)
        )
    return year


def parse_year_month(raw: str | None, default: date | None = None) -> date | None:
    """``2024-05`` or ``202405`` → the first day of that month."""
    if raw is None or raw == "":
        return default
    match = _YEAR_MONTH.fullmatch(raw.strip()) if len(raw) <= MAX_PARAM else None
    if not match or not 1 <= int(match.group(2)) <= 12 or not 1990 <= int(match.group(1)) <= 2100:
        raise QueryError(_("Enter the month as year-month, for example 2024-05."))
    return date(int(match.group(1)), int(match.group(2)), 1)


def parse_page(raw: str | None) -> int:
    if raw is None or raw == "":
        return 1
    number = ascii_int(raw) if len(raw) <= MAX_PARAM else None
    if number is None or number < 1:
        raise QueryError(_("The page number must be a whole number from 1 up."))
    return number


def search_text(raw: str | None, limit: int = 50) -> str:
    """A search string, trimmed; longer than ``limit`` or holding control characters is
    refused (not silently cut or cleaned)."""
    text = (raw or "").strip()
    if len(text) > limit:
        raise QueryError(_("Search text can have at most %(n)s characters.", n=limit))
    if has_control_characters(text):
        raise QueryError(str(CONTROL_CHARACTERS_MESSAGE))
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


def check_page(number: int, total: int, per_page: int) -> None:
    """Raise ``QueryError`` when page ``number`` is past the end of ``total`` rows (page 1 of
    an empty result is not)."""
    pages = max(1, math.ceil(total / per_page))
    if number > pages:
        raise QueryError(
            _("There is no page %(n)s; the last page is %(last)s.", n=number, last=pages)
        )


def paginate(statement: Select, number: int, per_page: int, scalars: bool = True) -> Page:
    """One page of an ORM select (scoped to the city like any ORM query).

    A page past the end raises ``QueryError`` (except page 1 of an empty result).
    """
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    check_page(number, total, per_page)
    windowed = statement.limit(per_page).offset((number - 1) * per_page)
    result = db.session.scalars(windowed) if scalars else db.session.execute(windowed)
    return Page(items=list(result.all()), number=number, per_page=per_page, total=total)
