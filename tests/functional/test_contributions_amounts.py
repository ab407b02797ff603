"""How a month's amounts follow from the city's YAML: the rule in force, the base clamped into
its bounds, each part rounded half up to the fen."""

from decimal import Decimal

import pytest

from shebao.modules.contributions.services import NoRateForYear, contribution_amounts


def amounts(city, kind, year, base):
    found = contribution_amounts(city.options("contributions"), kind, year, Decimal(base))
    return found.base, found.individual, found.employer


def test_rule_in_force_and_rates(city_of):
    binzhou, dezhou = city_of("binzhou"), city_of("dezhou")
    # Binzhou 2006 rule (in force 2006–2018): pension 8 % / 20 %.
    assert amounts(binzhou, "pension", 2018, "5000") == (
        Decimal("5000.00"),
        Decimal("400.00"),
        Decimal("1000.00"),
    )
    # 2019 rule: pension 8 % / 16 %.
    assert amounts(binzhou, "pension", 2019, "5000") == (
        Decimal("5000.00"),
        Decimal("400.00"),
        Decimal("800.00"),
    )
    # Cities are independent: Dezhou's work injury is 0.5 %, Binzhou's 0.4 %.
    assert amounts(dezhou, "work_injury", 2024, "5000")[2] == Decimal("25.00")
    assert amounts(binzhou, "work_injury", 2024, "5000")[2] == Decimal("20.00")


def test_base_is_clamped_and_parts_round_half_up(city_of):
    binzhou = city_of("binzhou")
    assert amounts(binzhou, "pension", 2024, "100")[0] == Decimal("3300.00")
    assert amounts(binzhou, "pension", 2024, "1000000")[0] == Decimal("16500.00")
    assert amounts(binzhou, "pension", 2026, "1000000")[0] == Decimal("21250.00")
    # 3315 × 0.003 = 9.945 and 3315 × 0.007 = 23.205: half up (half even would give .94, .20).
    assert amounts(binzhou, "unemployment", 2024, "3315") == (
        Decimal("3315.00"),
        Decimal("9.95"),
        Decimal("23.21"),
    )


def test_no_rule_no_amount(city_of):
    with pytest.raises(NoRateForYear):
        amounts(city_of("binzhou"), "pension", 1999, "5000")
    with pytest.raises(NoRateForYear):
        amounts(city_of("binzhou"), "resident_pension", 2024, "500")
