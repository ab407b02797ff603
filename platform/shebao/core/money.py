"""Money, in one place: ``Decimal`` yuan rounded ROUND_HALF_UP to the fen, never a float.

Shown with two decimals and the current locale's grouping through Babel (``12,345.60``).
A page may show hundreds of amounts, and Babel's ``format_decimal`` parses its locale and
pattern on every call (a third of the contribution-history page's time): the locale's
symbols are read from Babel once per locale, the digits written by Python's own formatting.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from babel import Locale
from babel.numbers import (
    format_decimal,
    get_decimal_symbol,
    get_group_symbol,
    get_minus_sign_symbol,
)

from .i18n import LOCALES, current_locale

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


def to_fen(value: Decimal | int | str) -> Decimal:
    """Round to the fen, half up (the rounding of every amount the platform computes)."""
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def format_money(value: Decimal | int | str | None, locale: str | None = None) -> str:
    """``Decimal('12345.6')`` → ``12,345.60`` (yuan, two decimals) in the locale; '' for None."""
    if value is None:
        return ""
    if locale is None and _written_alike():
        return f"{to_fen(value):,.2f}"  # no need to ask which language the page is in
    symbols = _symbols(locale or current_locale())
    amount = to_fen(value)
    if symbols is None:  # a locale that does not group by thousands: Babel writes it
        return format_decimal(
            amount, format="#,##0.00", locale=locale or current_locale(), decimal_quantization=True
        )
    text = f"{amount:,.2f}"
    return text.translate(symbols) if symbols else text


@cache
def _symbols(locale: str) -> dict[int, str] | None:
    """What turns Python's ``-1,234.50`` into the locale's writing ({} when it is the same);
    None when the locale groups otherwise than by thousands (then Babel formats each amount)."""
    parsed = Locale.parse(locale)
    if parsed.decimal_formats[None].grouping != (3, 3):
        return None
    table = {
        ord(","): get_group_symbol(parsed),
        ord("."): get_decimal_symbol(parsed),
        ord("-"): get_minus_sign_symbol(parsed),
    }
    return {k: v for k, v in table.items() if chr(k) != v}


@cache
def _written_alike() -> bool:
    """Whether every language the platform offers writes amounts as Python does (``,`` groups
    of three, ``.`` and ``-``): Chinese and English do, so a page's hundreds of amounts need
    not each look the page's language up."""
    return all(_symbols(locale) == {} for locale in LOCALES)
