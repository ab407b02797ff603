"""Retirement age and the minimum contribution years under the 2025 gradual reform.

《全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定》 (2024-09-13) and its
《国务院关于渐进式提高法定退休年龄的办法》, in force from 2025-01-01:

- men (original age 60) and women whose original age was 55: one month later for every four
  months of birth after the reform's start, up to 63 and 58;
- women whose original age was 50: one month later for every two months, up to 55;
- a person whose original retirement month falls before January 2025 is not affected;
- the minimum contribution years for a monthly pension: 15 until 2029, then half a year more
  each year from 2030, up to 20 (from 2039);
- voluntary early retirement up to three years before the statutory age (never before the
  original age) once the minimum is met, and voluntary deferral up to three years after it.

Pure functions of dates: no database, no request, no city.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

#: The month the reform starts: the first original retirement month that moves.
REFORM_START = date(2025, 1, 1)
#: The most an age moves, and how many months of birth move it by one month, per original age.
_STEPS = {60: (36, 4), 55: (36, 4), 50: (60, 2)}
#: Flexible (voluntary) retirement: at most this many months before or after the statutory age.
FLEXIBLE_MONTHS = 36
MINIMUM_BEFORE_2030 = Decimal(15)
MINIMUM_CAP = Decimal(20)


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_of(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class RetirementAge:
    """An age in whole months, shown as years and months."""

    months: int

    @property
    def years(self) -> int:
        return self.months // 12

    @property
    def extra_months(self) -> int:
        return self.months % 12

    @property
    def in_years(self) -> Decimal:
        return Decimal(self.months) / 12


def original_age(sex: str, women_original: int = 55) -> int:
    """The age in force before the reform: 60 for men; 50 or 55 for women (工人 / 干部; the
    records do not say which, so the resident chooses)."""
    if sex == "M":
        return 60
    if women_original not in (50, 55):
        raise ValueError("women's original retirement age is 50 or 55")
    return women_original


def delay_months(birth: date, original: int) -> int:
    """How many months the reform adds for someone born in ``birth``'s month whose original
    retirement age was ``original`` (60, 55 or 50)."""
    cap, per = _STEPS[original]
    original_month = month_index(birth) + original * 12
    after_start = original_month - month_index(REFORM_START)
    if after_start < 0:
        return 0
    return min(cap, after_start // per + 1)


def statutory_age(birth: date, original: int) -> RetirementAge:
    """法定退休年龄 under the reform."""
    return RetirementAge(original * 12 + delay_months(birth, original))


def retirement_month(birth: date, age: RetirementAge) -> date:
    """The month the person reaches ``age`` (the first of that month)."""
    return month_of(month_index(birth) + age.months)


def minimum_years(retirement: date) -> Decimal:
    """The minimum contribution years for a monthly pension when retiring in ``retirement``'s
    year: 15 until 2029, 15.5 in 2030, … 20 from 2039."""
    if retirement.year < 2030:
        return MINIMUM_BEFORE_2030
    return min(MINIMUM_CAP, MINIMUM_BEFORE_2030 + Decimal("0.5") * (retirement.year - 2029))


def choosable_ages(birth: date, original: int) -> list[RetirementAge]:
    """The ages the person may choose to retire at: the statutory age, whole years from three
    years before it (never before the original age) to three years after, in order."""
    statutory = statutory_age(birth, original)
    earliest = max(original * 12, statutory.months - FLEXIBLE_MONTHS)
    latest = statutory.months + FLEXIBLE_MONTHS
    months = {statutory.months, earliest, latest}
    months.update(m for m in range(earliest, latest + 1) if m % 12 == 0)
    return [RetirementAge(m) for m in sorted(months)]
