"""Money, in one place: ``Decimal`` yuan rounded ROUND_HALF_UP to the fen, never a float.

Shown with two decimals and the current locale's grouping through Babel (``12,345.60``).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal

from .i18n import current_locale

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


def to_fen(value: Decimal | int | str) -> Decimal:
    """Round to the fen, half up (the rounding of every amount the platform computes)."""
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def format_money(value: Decimal | int | str | None, locale: str | None = None) -> str:
    """``Decimal('12345.6')`` → ``12,345.60`` (yuan, two decimals) in the locale; '' for None."""
    if value is None:
        return ""
    return format_decimal(
        to_fen(value),
        format="#,##0.00",
        locale=locale or current_locale(),
        decimal_quantization=True,
    )
