"""Amounts shown to residents: two decimals, the locale's symbols, exactly as Babel writes them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_decimal

from shebao.core.money import format_money, to_fen


@pytest.mark.parametrize("locale", ["zh_CN", "en", "de_DE", "fr_FR", "hi_IN"])
def test_amounts_are_written_exactly_as_babel_writes_them(locale):
    """The fast path (Python's digits, the locale's symbols read once from Babel) and Babel's
    own ``format_decimal`` agree, grouping, decimal and minus sign included; a locale that
    does not group by thousands (hi_IN: 12,34,567.00) goes through Babel."""
    values = ["0", "-0.004", "0.005", "12", "-1234.5", "999.995", "1234567.891", "-999999999.99"]
    values += [str(Decimal(n) / 100) for n in range(-(10**9), 10**9, 7_777_777)]
    for value in values:
        expected = format_decimal(
            to_fen(value), format="#,##0.00", locale=locale, decimal_quantization=True
        )
        assert format_money(value, locale) == expected, value


def test_amounts_without_a_locale_are_written_as_every_offered_language_writes_them():
    from shebao.core.i18n import LOCALES

    for value in ("0", "-1234567.5", "12.345", "999999999.995"):
        written = format_money(value)
        assert all(written == format_money(value, locale) for locale in LOCALES), value
