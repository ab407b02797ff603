"""Property tests of the amount rules: totals are the sum of months × types, every amount is
base × rate rounded ROUND_HALF_UP to the fen, and the city's bounds and window hold."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shebao.core.time import from_month_index, month_index
from shebao.modules.payments import amounts
from shebao.modules.payments.amounts import AmountError
from shebao.modules.payments.options import FlexibleOptions, ResidentPensionOptions

TODAY = date(2026, 11, 25)

fen = st.decimals(min_value=Decimal("1.00"), max_value=Decimal("99999.99"), places=2)
rate = st.decimals(min_value=Decimal("0"), max_value=Decimal("1"), places=4)


def options(base_min, base_max, pension_rate, medical_rate, window=24, later_rates=None):
    """Rules from 2024 (in force in 2025 too) and from 2026, with their own rates."""
    pension_2026, medical_2026 = later_rates or (pension_rate, medical_rate)
    return FlexibleOptions(
        types=["pension", "medical"],
        window_months=window,
        years={
            2024: {
                "base_min": base_min,
                "base_max": base_max,
                "rates": {"pension": pension_rate, "medical": medical_rate},
            },
            2026: {
                "base_min": base_min,
                "base_max": base_max,
                "rates": {"pension": pension_2026, "medical": medical_2026},
            },
        },
    )


@st.composite
def flexible_case(draw):
    low = draw(fen)
    high = draw(st.decimals(min_value=low, max_value=Decimal("199999.99"), places=2))
    base = draw(st.decimals(min_value=low, max_value=high, places=2))
    first = month_index(date(2024, 11, 1))
    start = draw(st.integers(first, first + 24))
    end = draw(st.integers(start, first + 24))
    types = draw(st.sampled_from([["pension"], ["medical"], ["pension", "medical"]]))
    return (
        options(low, high, draw(rate), draw(rate), later_rates=(draw(rate), draw(rate))),
        from_month_index(start),
        from_month_index(end),
        types,
        base,
    )


@settings(max_examples=300, deadline=None)
@given(flexible_case())
def test_total_is_the_sum_of_months_times_types_rounded_half_up(case):
    opts, start, end, types, base = case
    lines = amounts.flexible_lines(opts, start, end, types, base, TODAY)
    months = amounts.months(start, end)
    assert len(lines) == len(months) * len(types)
    assert {(line.insurance_type, line.period) for line in lines} == {
        (t, m) for t in types for m in months
    }
    expected = Decimal("0")
    for line in lines:
        rule = opts.years[2026 if line.period.year >= 2026 else 2024]
        exact = base * rule.rates[line.insurance_type]
        assert line.amount == exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert line.amount.as_tuple().exponent == -2 and isinstance(line.amount, Decimal)
        assert abs(line.amount - exact) <= Decimal("0.005")
        expected += line.amount
    assert amounts.total(lines) == expected


@settings(max_examples=200, deadline=None)
@given(fen, st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000"), places=2))
def test_a_base_outside_the_years_bounds_is_refused(low, offset):
    opts = options(low, low + Decimal("1000.00"), Decimal("0.2"), Decimal("0.08"))
    for base in (low - offset, low + Decimal("1000.00") + offset):
        with pytest.raises(AmountError) as refused:
            amounts.flexible_lines(
                opts, date(2026, 1, 1), date(2026, 1, 1), ["pension"], base, TODAY
            )
        assert refused.value.field == "base"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.005", "0.01"),
        ("0.004", "0.00"),
        ("2.675", "2.68"),
        ("1.115", "1.12"),
        ("-0.005", "-0.01"),
    ],
)
def test_half_up_to_the_fen(value, expected):
    assert amounts.to_fen(Decimal(value)) == Decimal(expected)


def test_half_a_fen_rounds_up_in_a_month_amount():
    opts = options("100.00", "10000.00", "0.075", "0.075")
    line = amounts.flexible_lines(
        opts, date(2026, 1, 1), date(2026, 1, 1), ["pension"], Decimal("4100.10"), TODAY
    )[0]
    assert line.amount == Decimal("307.51")  # 307.5075 → 307.51


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 60), st.integers(0, 60))
def test_the_window_and_the_order_of_months(back_start, back_end):
    opts = options("100.00", "10000.00", "0.2", "0.08", window=12)
    current = month_index(date(2026, 11, 1))
    start, end = from_month_index(current - back_start), from_month_index(current - back_end)
    if end < start:
        with pytest.raises(AmountError):
            amounts.flexible_lines(opts, start, end, ["pension"], Decimal("500"), TODAY)
    elif back_start > 12:
        with pytest.raises(AmountError) as refused:
            amounts.flexible_lines(opts, start, end, ["pension"], Decimal("500"), TODAY)
        assert "2025-11" in str(refused.value)
    else:
        lines = amounts.flexible_lines(opts, start, end, ["pension"], Decimal("500"), TODAY)
        assert len(lines) == back_start - back_end + 1


@settings(max_examples=50, deadline=None)
@given(st.lists(fen, min_size=1, max_size=8, unique=True))
def test_resident_pension_grade_must_be_one_of_the_years(grades):
    grades = sorted(grades)
    opts = ResidentPensionOptions(years={2026: {"grades": grades}})
    for grade in grades:
        line = amounts.resident_pension_line(opts, 2026, grade)
        assert line.amount == grade and line.period == date(2026, 1, 1)
    with pytest.raises(AmountError):
        amounts.resident_pension_line(opts, 2026, grades[-1] + Decimal("0.01"))
    with pytest.raises(AmountError):
        amounts.resident_pension_line(opts, 2025, grades[0])
