"""How a month's amounts follow from the city's YAML: the rule in force, the base clamped into
its bounds, each part rounded half up to the fen."""

import logging
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from shebao.core.extensions import db
from shebao.modules.contributions.models import Contribution
from shebao.modules.contributions.posting import PaidLine, post_paid_contributions
from shebao.modules.contributions.services import (
    NoRateForYear,
    contribution_amounts,
    flexible_amounts,
    resident_subsidy,
)


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


def test_flexible_amounts_are_the_whole_rate_paid_by_the_person(city_of):
    options = city_of("binzhou").options("contributions")
    found = flexible_amounts(options, "pension", 2026, Decimal("4321.37"))
    assert (found.base, found.individual, found.employer) == (
        Decimal("4321.37"),
        Decimal("864.27"),  # 20 %: 864.274
        Decimal("0"),
    )
    with pytest.raises(NoRateForYear, match="flexible-employment pension"):
        flexible_amounts(options, "pension", 2003, Decimal("1000"))  # the 2000 rule has none


def test_resident_subsidies_come_from_the_yaml(city_of):
    options = city_of("binzhou").options("contributions")
    subsidy = resident_subsidy
    assert subsidy(options, "resident_pension", 2026, Decimal("300")) == Decimal("30.00")
    assert subsidy(options, "resident_pension", 2026, Decimal("500")) == Decimal("60.00")
    assert subsidy(options, "resident_pension", 2026, Decimal("5000")) == Decimal("60.00")
    assert subsidy(options, "resident_pension", 2026, Decimal("50")) is None  # below every grade
    assert subsidy(options, "resident_pension", 2010, Decimal("500")) is None  # before the rules
    assert subsidy(options, "resident_medical", 2027, Decimal("420")) == Decimal("730.00")
    assert subsidy(options, "resident_medical", 2026, Decimal("400")) == Decimal("700.00")
    assert subsidy(options, "pension", 2026, Decimal("5000")) is None


def test_a_resident_year_paid_online_is_posted_with_the_subsidy_of_the_rules(
    app, make_resident, city_of, caplog
):
    """The bank notification posts (type, period, base, amount); the employer column gets the
    government subsidy of the city's rules, as the demo seeder records it."""
    me = make_resident("binzhou", 1, category="resident")
    lines = [
        PaidLine("resident_pension", date(2026, 1, 1), Decimal("500.00"), Decimal("500.00")),
        PaidLine("resident_medical", date(2027, 1, 1), Decimal("420.00"), Decimal("420.00")),
        PaidLine("resident_medical", date(2015, 1, 1), Decimal("100.00"), Decimal("100.00")),
        PaidLine("pension", date(2026, 1, 1), Decimal("5000.00"), Decimal("1000.00")),
    ]
    with app.app_context(), caplog.at_level(logging.WARNING, logger="shebao.contributions"):
        post_paid_contributions(city_of("binzhou"), me.id, lines)
        employer = {
            (row.insurance_type, row.period.year): row.employer
            for row in db.session.scalars(select(Contribution))
        }
        db.session.rollback()
    assert employer == {
        ("resident_pension", 2026): Decimal("60.00"),
        ("resident_medical", 2027): Decimal("730.00"),
        ("resident_medical", 2015): Decimal("0.00"),  # no rule before 2016: none, and logged
        ("pension", 2026): Decimal("0.00"),
    }
    assert "binzhou: no resident_medical subsidy rule in modules.contributions for 2015" in (
        caplog.text
    )
