"""The amount rules: every month's amount per type from the city's rates, bases and grades.

Pure functions on the city's options (no database, no request), so the property tests can
try them on any input. Every amount is a ``Decimal`` rounded ROUND_HALF_UP to the fen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from ...core.money import to_fen
from ...core.time import add_months, from_month_index, month_index
from ...tenancy.types import rule_for_year

MAX_MONTHS = 120


class AmountError(ValueError):
    """The request breaks a rule of the city; ``str(error)`` is the message to show."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Line:
    insurance_type: str
    period: date
    base: Decimal
    amount: Decimal


def months(start: date, end: date) -> list[date]:
    return [from_month_index(i) for i in range(month_index(start), month_index(end) + 1)]


def allowed_window(window_months: int, today: date) -> tuple[date, date]:
    """The months a flexible-employment payer may pay: ``window_months`` back to this month."""
    current = date(today.year, today.month, 1)
    return add_months(current, -window_months), current


def flexible_lines(
    options, start: date, end: date, types: list[str], base: Decimal, today: date
) -> list[Line]:
    """Every (type, month) of a flexible-employment payment, checked against the city's rules.

    ``options`` is the city's ``FlexibleOptions``. Raises ``AmountError`` naming the rule.
    """
    if not types:
        raise AmountError(_("Choose at least one insurance type."), "types")
    unknown = [kind for kind in types if kind not in options.types]
    if unknown:
        raise AmountError(_("Choose insurance types from the list."), "types")
    if end < start:
        raise AmountError(_("The end month must not be before the start month."), "end")
    first, last = allowed_window(options.window_months, today)
    if start < first or end > last:
        raise AmountError(
            _(
                "You can pay the months from %(first)s to %(last)s.",
                first=first.strftime("%Y-%m"),
                last=last.strftime("%Y-%m"),
            ),
            "start" if start < first else "end",
        )
    base = Decimal(base)
    if not base.is_finite() or base != to_fen(base):
        raise AmountError(_("Enter the base in yuan with at most two decimals."), "base")
    lines = []
    for period in months(start, end):
        rule = rule_for_year(options.years, period.year)
        if rule is None:
            raise AmountError(
                _("Contributions for %(year)s cannot be paid online.", year=period.year), "start"
            )
        if not rule.base_min <= base <= rule.base_max:
            raise AmountError(
                _(
                    "In %(year)s the base must be between %(low)s and %(high)s yuan.",
                    year=period.year,
                    low=rule.base_min,
                    high=rule.base_max,
                ),
                "base",
            )
        for kind in types:
            rate = rule.rates.get(kind)
            if rate is None:
                raise AmountError(
                    _("This insurance type cannot be paid for %(year)s.", year=period.year),
                    "types",
                )
            lines.append(Line(kind, period, to_fen(base), to_fen(base * rate)))
    return lines


def resident_pension_line(options, year: int, grade: Decimal) -> Line:
    """``options``: the city's ``ResidentPensionOptions``; the grade must be one of the year's."""
    rule = rule_for_year(options.years, year)
    if rule is None:
        raise AmountError(_("Contributions for %(year)s cannot be paid online.", year=year), "year")
    if Decimal(grade) not in rule.grades:
        raise AmountError(_("Choose a grade from the list."), "grade")
    amount = to_fen(Decimal(grade))
    return Line("resident_pension", date(year, 1, 1), amount, amount)


def resident_pension_grades(options, year: int) -> list[Decimal]:
    rule = rule_for_year(options.years, year)
    return list(rule.grades) if rule else []


def open_medical_years(options, today: date) -> list[int]:
    """The years whose resident medical contribution can be paid today (inside the window)."""
    return sorted(
        year
        for year, rule in options.years.items()
        if rule.window_start <= today <= rule.window_end
    )


def resident_medical_line(options, year: int, today: date) -> Line:
    rule = options.years.get(year)
    if rule is None or not rule.window_start <= today <= rule.window_end:
        raise AmountError(
            _("The contribution for %(year)s cannot be paid at this time.", year=year), "year"
        )
    amount = to_fen(rule.amount)
    return Line("resident_medical", date(year, 1, 1), amount, amount)


def total(lines: list[Line]) -> Decimal:
    return to_fen(sum((line.amount for line in lines), Decimal("0")))
