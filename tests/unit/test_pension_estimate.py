"""The pension estimate's pure core: published worked examples to the fen, the months divisor
between whole ages, the projection, and the 2025 retirement-age reform at its boundaries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from shebao.modules.pension_estimate import calculation, retirement
from shebao.modules.pension_estimate.calculation import (
    Assumptions,
    EstimateError,
    RecordedFacts,
    Tables,
)
from shebao.modules.pension_estimate.retirement import RetirementAge

#: The 计发月数 table annexed to 国发〔2005〕38号 (as in both cities' YAML).
DIVISORS = {
    40: 233, 41: 230, 42: 226, 43: 223, 44: 220, 45: 216, 46: 212, 47: 207, 48: 204, 49: 199,
    50: 195, 51: 190, 52: 185, 53: 180, 54: 175, 55: 170, 56: 164, 57: 158, 58: 152, 59: 145,
    60: 139, 61: 132, 62: 125, 63: 117, 64: 109, 65: 101, 66: 93, 67: 84, 68: 75, 69: 65, 70: 56,
}  # fmt: skip
D = Decimal


def age(years: int, months: int = 0) -> RetirementAge:
    return RetirementAge(years * 12 + months)


# --- worked examples from published sources ----------------------------------------------


def test_published_example_woman_retiring_at_55_after_15_years_at_80_percent():
    """南方财富网 (shebao.southmoney.com/yanglao/yanglaojin/202204/276166_2.html, 2022-04):
    a woman retiring at 55 with an average contribution index of 0.8, a previous-year average
    monthly wage of 3,500 yuan, 15 years of contributions and 60,000 yuan in her personal
    account: basic pension (3500 + 3500 × 0.8) ÷ 2 × 15 × 1 % = 472.50, personal-account
    pension 60000 ÷ 170 = 352.94, in all 825.44 a month."""
    basic = calculation.basic_pension(D("3500"), D("0.8"), 15 * 12)
    account = calculation.account_pension(D("60000"), calculation.divisor_for(DIVISORS, age(55)))
    assert (basic, account, basic + account) == (D("472.50"), D("352.94"), D("825.44"))


def test_published_example_40_years_at_60_percent_on_a_base_of_11082():
    """A worked example published with a calculation base of 11,082 yuan (69saqjz.icu/xofoc):
    40 contribution years at index 0.6 and 100,000 yuan in the personal account, retiring at
    60 (divisor 139): personal-account pension 100000 ÷ 139 = 719.42, basic pension
    11082 × (1 + 0.6) ÷ 2 × 40 × 1 % = 3,546.24. (Its transitional pension follows a local
    rule for years before personal accounts and is not reproduced here.)"""
    account = calculation.account_pension(D("100000"), calculation.divisor_for(DIVISORS, age(60)))
    assert account == D("719.42")
    assert calculation.basic_pension(D("11082"), D("0.6"), 40 * 12) == D("3546.24")


def test_published_example_35_years_at_the_average_wage_give_35_percent():
    """劳动和社会保障部负责人就《国务院关于完善企业职工基本养老保险制度的决定》答记者问
    (2005-12, on 国发〔2005〕38号): a person who contributed 35 years on a base equal to the
    average wage (index 1.0) receives a basic pension of 35 % of the calculation base.
    With a calculation base of 7,000.00: 7,000 × (1 + 1) ÷ 2 × 35 × 1 % = 2,450.00."""
    assert calculation.basic_pension(D("7000"), D("1.0"), 35 * 12) == D("2450.00")
    assert calculation.basic_pension(D("7000"), D("1.0"), 35 * 12) / D("7000") == D("0.35")


def test_published_example_15_years_at_60_percent():
    """The same 答记者问 and the 国发〔2005〕38号 formula: contributing the minimum 15 years at
    the lowest base (index 0.6) gives 15 × (1 + 0.6) ÷ 2 = 12 % of the calculation base; with
    a base of 7,000.00 that is 840.00 a month."""
    assert calculation.basic_pension(D("7000"), D("0.6"), 15 * 12) == D("840.00")


def test_published_example_personal_account_at_60_55_and_50():
    """国发〔2005〕38号 附件 (个人账户养老金计发月数表), as worked in 人社 Q&A: a balance of
    100,000 yuan paid out at 60 over 139 months is 719.42 a month; at 55 over 170 months
    588.24; at 50 over 195 months 512.82."""
    for years, expected in ((60, "719.42"), (55, "588.24"), (50, "512.82")):
        divisor = calculation.divisor_for(DIVISORS, age(years))
        assert calculation.account_pension(D("100000"), divisor) == D(expected)


def test_resident_pension_is_the_basic_amount_plus_the_account_over_139():
    """国发〔2014〕8号: 城乡居民 personal-account pension = balance ÷ 139."""
    assert calculation.resident_pension(D("230.00"), D("13900")) == D("330.00")
    assert calculation.resident_pension(D("230.00"), D("5000")) == D("265.97")


# --- the divisor between whole ages ------------------------------------------------------


def test_divisor_moves_evenly_by_months_between_whole_ages():
    assert calculation.divisor_for(DIVISORS, age(60)) == 139
    # 60 years 4 months: 139 − (139 − 132) × 4 ÷ 12 = 136.666…
    divisor = calculation.divisor_for(DIVISORS, age(60, 4))
    assert divisor.quantize(D("0.0001")) == D("136.6667")
    assert calculation.account_pension(D("100000"), divisor) == D("731.71")
    assert calculation.divisor_for(DIVISORS, age(63)) == 117
    assert calculation.divisor_for(DIVISORS, age(58)) == 152


def test_divisor_outside_the_table_is_refused():
    with pytest.raises(EstimateError):
        calculation.divisor_for(DIVISORS, age(70, 1))
    with pytest.raises(EstimateError):
        calculation.divisor_for(DIVISORS, age(39))


def test_transitional_pension():
    # 7,000 × index 1.2 × 5 deemed years × 1.2 % = 504.00
    assert calculation.transitional_pension(D("7000"), D("1.2"), 60, D("0.012")) == D("504.00")


def test_average_index_is_rounded_to_four_decimals():
    assert calculation.average_index(D("3.5"), 3) == D("1.1667")
    assert calculation.average_index(D("0"), 0) == D("0")


# --- the projection ----------------------------------------------------------------------

TABLES = Tables(
    calculation_base={2024: D("7000.00"), 2025: D("7200.00")},
    index_wage={2024: D("7000.00"), 2025: D("7200.00")},
    divisors=DIVISORS,
)


def assume(index="1.00", amount=None, growth="0.03", interest="0.03"):
    return Assumptions(
        base_index=None if amount else D(index),
        base_amount=D(amount) if amount else None,
        wage_growth=D(growth),
        interest=D(interest),
        credit_rate=D("0.08"),
    )


def test_grown_uses_the_table_then_compounds_to_the_fen():
    assert calculation.grown(TABLES.index_wage, 2020, D("0.03")) == D("7000.00")  # before
    assert calculation.grown(TABLES.index_wage, 2025, D("0.03")) == D("7200.00")
    assert calculation.grown(TABLES.index_wage, 2026, D("0.03")) == D("7416.00")
    assert calculation.grown(TABLES.index_wage, 2027, D("0.03")) == D("7638.48")


def test_someone_retiring_now_gets_exactly_the_formula_of_the_records():
    """No future months: the estimate is the formula applied to the recorded facts."""
    facts = RecordedFacts(
        paid_months=tuple((2024, D("7000.00")) for _ in range(180)),
        balance=D("100000.00"),
        balance_year=2025,
        next_month=date(2026, 3, 1),
    )
    birth = date(1966, 3, 10)  # a man (statutory 60 + 4 months) retiring early at 60
    estimate = calculation.estimate_employee(
        facts, assume(growth="0"), TABLES, birth, age(60), None
    )
    assert estimate.retirement == date(2026, 3, 1)
    assert estimate.future_months == 0 and estimate.recorded_months == 180
    assert estimate.average_index == D("1.0000")
    assert estimate.calculation_base == D("7200.00") and estimate.calculation_base_year == 2025
    assert estimate.basic == D("1080.00")  # 7,200 × 2 ÷ 2 × 15 × 1 %
    # 2026: interest for January and February only: 100,000 × 3 % × 2/12 = 500.00
    assert estimate.balance == D("100500.00")
    assert estimate.account == D("723.02")  # 100,500 ÷ 139
    assert estimate.transitional is None
    assert estimate.total == D("1803.02")


def test_future_months_credit_the_account_and_move_the_index():
    facts = RecordedFacts(
        paid_months=tuple((2025, D("7200.00")) for _ in range(12)),
        balance=D("0.00"),
        balance_year=2025,
        next_month=date(2026, 1, 1),
    )
    birth = date(1967, 1, 15)
    estimate = calculation.estimate_employee(
        facts, assume(index="2.00", growth="0"), TABLES, birth, age(60), None
    )
    # 12 months recorded at index 1, 12 months assumed at index 2 (2026: 2 × 7,200)
    assert estimate.future_months == 12 and estimate.average_index == D("1.5000")
    assert estimate.future_credits == D("13824.00")  # 14,400 × 8 % × 12
    assert estimate.balance == D("13824.00")  # interest from the next year: none yet


def test_an_amount_is_the_same_as_its_index():
    facts = RecordedFacts((), D("0"), 2025, date(2026, 1, 1))
    birth = date(1970, 6, 1)
    by_index = calculation.estimate_employee(
        facts, assume(index="1.50"), TABLES, birth, age(60), None
    )
    by_amount = calculation.estimate_employee(
        facts, assume(amount="11124.00"), TABLES, birth, age(60), None
    )  # 1.5 × 7,416.00 (2026)
    assert by_amount.average_index == by_index.average_index == D("1.5000")
    assert by_amount.total == by_index.total


def test_transitional_counts_the_deemed_months():
    facts = RecordedFacts(
        paid_months=tuple((2024, D("7000.00")) for _ in range(180)),
        balance=D("0"),
        balance_year=2025,
        next_month=date(2026, 3, 1),
        deemed_months=60,
    )
    estimate = calculation.estimate_employee(
        facts, assume(growth="0"), TABLES, date(1966, 3, 10), age(60), D("0.012")
    )
    assert estimate.transitional == D("432.00")  # 7,200 × 1 × 5 × 1.2 %
    assert estimate.total == estimate.basic + estimate.account + D("432.00")


def test_resident_projection_pays_until_the_year_before_the_pension():
    estimate = calculation.estimate_resident(
        balance_now=D("1000.00"),
        balance_year=2025,
        years_paid=10,
        first_future_year=2026,
        retirement=date(2028, 1, 1),
        yearly_amount=D("500"),
        yearly_subsidy=D("60"),
        interest=D("0.10"),
        basic_amount=D("230.00"),
    )
    # 2026: 1,000 + 100 interest + 560; 2027: 1,660 + 166 + 560 = 2,386; 2028: no months
    assert estimate.future_years == 2 and estimate.years == 12
    assert estimate.balance == D("2386.00")
    assert estimate.account == D("17.17") and estimate.total == D("247.17")


# --- the 2025 retirement-age reform --------------------------------------------------------
# 《国务院关于渐进式提高法定退休年龄的办法》(2024-09-13), 附件1–3: the tables of the ages.


@pytest.mark.parametrize(
    ("birth", "original", "expected", "month"),
    [
        # Men (附件1): born before 1965 untouched; 1965-01…04: 60 + 1 month, 2025-02…05.
        (date(1964, 12, 31), 60, age(60), date(2024, 12, 1)),
        (date(1965, 1, 1), 60, age(60, 1), date(2025, 2, 1)),
        (date(1965, 4, 30), 60, age(60, 1), date(2025, 5, 1)),
        (date(1965, 5, 1), 60, age(60, 2), date(2025, 7, 1)),
        (date(1976, 8, 1), 60, age(62, 11), date(2039, 7, 1)),
        (date(1976, 9, 1), 60, age(63), date(2039, 9, 1)),  # the cap
        (date(1990, 1, 1), 60, age(63), date(2053, 1, 1)),
        # Women whose age was 50 (附件2): one month per two months, up to 55.
        (date(1974, 12, 1), 50, age(50), date(2024, 12, 1)),
        (date(1975, 1, 1), 50, age(50, 1), date(2025, 2, 1)),
        (date(1975, 2, 1), 50, age(50, 1), date(2025, 3, 1)),
        (date(1975, 3, 1), 50, age(50, 2), date(2025, 5, 1)),
        (date(1984, 10, 1), 50, age(54, 11), date(2039, 9, 1)),
        (date(1984, 11, 1), 50, age(55), date(2039, 11, 1)),  # the cap
        # Women whose age was 55 (附件3): like men, up to 58.
        (date(1969, 12, 1), 55, age(55), date(2024, 12, 1)),
        (date(1970, 1, 1), 55, age(55, 1), date(2025, 2, 1)),
        (date(1981, 9, 1), 55, age(58), date(2039, 9, 1)),  # the cap
        (date(1995, 5, 8), 55, age(58), date(2053, 5, 1)),
    ],
)
def test_statutory_age_at_the_boundaries(birth, original, expected, month):
    statutory = retirement.statutory_age(birth, original)
    assert statutory == expected
    assert retirement.retirement_month(birth, statutory) == month


@pytest.mark.parametrize(
    ("when", "years"),
    [
        (date(2025, 6, 1), "15"),
        (date(2029, 12, 1), "15"),
        (date(2030, 1, 1), "15.5"),
        (date(2031, 1, 1), "16"),
        (date(2038, 1, 1), "19.5"),
        (date(2039, 1, 1), "20"),
        (date(2050, 1, 1), "20"),
    ],
)
def test_minimum_contribution_years_rise_from_2030(when, years):
    assert retirement.minimum_years(when) == D(years)


def test_choosable_ages_are_three_years_either_side_never_before_the_original():
    ages = retirement.choosable_ages(date(1985, 3, 12), 60)  # statutory 63
    assert [a.months for a in ages] == [m * 12 for m in range(60, 67)]
    ages = retirement.choosable_ages(date(1966, 3, 1), 60)  # statutory 60 + 4 months
    assert ages[0] == age(60) and age(60, 4) in ages and ages[-1] == age(63, 4)
    ages = retirement.choosable_ages(date(1960, 3, 1), 60)  # no delay: 60 … 63
    assert ages[0] == age(60) and ages[-1] == age(63)


def test_original_age_needs_50_or_55_for_women():
    assert retirement.original_age("M", 50) == 60
    assert retirement.original_age("F", 50) == 50
    with pytest.raises(ValueError):
        retirement.original_age("F", 52)
