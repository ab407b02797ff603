"""Demo contribution records: deterministic, by personnel category, at the city's rates."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from shebao.core.batch import insert_returning
from shebao.core.extensions import db
from shebao.core.money import to_fen
from shebao.modules.contributions.models import SELF_PAYER, Contribution
from shebao.modules.contributions.seed import DEMO_THROUGH, seed_contributions
from shebao.modules.contributions.services import (
    contribution_amounts,
    flexible_amounts,
    resident_subsidy,
)
from shebao.people.demo import demo_rows
from shebao.people.insurance import EMPLOYEE_TYPES, InsuranceType
from shebao.people.models import Person
from shebao.seeding import seed_city
from shebao.tenancy.types import rule_for_year

PERSONS = 60


def insert_people(city, persons: int = PERSONS, seed: int = 7) -> list[dict]:
    rows = demo_rows(city, persons, seed)
    ids = insert_returning(Person, rows, key="id_number")
    return [dict(row, id=ids[row["id_number"]]) for row in rows]


def all_rows(code: str) -> list[tuple]:
    """Every contribution of a city, without the database's own id and timestamp."""
    return db.session.execute(
        select(
            Contribution.person_id,
            Contribution.insurance_type,
            Contribution.period,
            Contribution.base,
            Contribution.individual,
            Contribution.employer,
            Contribution.status,
            Contribution.payer,
        )
        .where(Contribution.city == code)
        .order_by(Contribution.person_id, Contribution.insurance_type, Contribution.period)
    ).all()


@pytest.fixture
def seeded(app, city_of):
    """``seeded(code, seed)``: people of the city plus their demo records, committed."""

    def run(code: str, seed: int = 1):
        city = city_of(code)
        people = insert_people(city)
        count = seed_contributions(city, people, random.Random(seed))
        db.session.commit()
        return city, people, count

    with app.app_context():
        yield run


def test_the_same_seed_gives_the_same_rows(seeded):
    city, people, count = seeded("binzhou", seed=1)
    first = all_rows("binzhou")
    assert len(first) == count > PERSONS * 100
    db.session.execute(Contribution.__table__.delete())
    assert seed_contributions(city, people, random.Random(1)) == count
    assert all_rows("binzhou") == first
    db.session.execute(Contribution.__table__.delete())
    seed_contributions(city, people, random.Random(2))
    assert all_rows("binzhou") != first


def test_every_amount_follows_the_citys_rules(seeded):
    """Employees at the employee rates; flexible employment at the year's flexible rate, the
    whole amount the person's (as a payment made online is posted); residents with the
    subsidy of the city's resident rules."""
    city, people, _ = seeded("binzhou")
    options = city.options("contributions")
    checked = Counter()
    distinct = {
        (row.insurance_type, row.period.year, row.base, row.individual, row.employer, row.payer)
        for row in all_rows("binzhou")
    }
    for kind, year, base, individual, employer, payer in distinct:
        assert isinstance(base, Decimal) and isinstance(individual, Decimal)
        if kind in (InsuranceType.RESIDENT_PENSION, InsuranceType.RESIDENT_MEDICAL):
            assert individual == base and employer > 0
            assert employer == resident_subsidy(options, kind, year, base)
            checked[kind] += 1
            continue
        rule = rule_for_year(options.years, year)
        assert rule.base_min <= base <= rule.base_max
        if payer == SELF_PAYER:
            amounts = flexible_amounts(options, kind, year, base)
            assert employer == 0 and individual == to_fen(base * rule.flexible[kind])
        else:
            amounts = contribution_amounts(options, kind, year, base)
        assert (amounts.base, amounts.individual, amounts.employer) == (base, individual, employer)
        checked["self-paid" if payer == SELF_PAYER else "employer"] += 1
    assert checked["employer"] > 1_000 and checked["self-paid"] > 20, checked
    assert checked["resident_pension"] and checked["resident_medical"], checked


def test_resident_subsidies_come_from_the_citys_rules(seeded):
    """Binzhou's YAML: resident pension 30 yuan below the 500 grade, 60 from it; resident
    medical the year's amount and subsidy (2016: 150 and 420; 2026 keeps 2025's 400 and 700)."""
    seeded("binzhou")
    pension = {
        (row.base, row.employer)
        for row in all_rows("binzhou")
        if row.insurance_type == "resident_pension"
    }
    assert pension and all(
        subsidy == (Decimal("60.00") if grade >= 500 else Decimal("30.00"))
        for grade, subsidy in pension
    )
    medical = {
        row.period.year: (row.base, row.employer)
        for row in all_rows("binzhou")
        if row.insurance_type == "resident_medical"
    }
    assert medical[2016] == (Decimal("150.00"), Decimal("420.00"))
    assert medical[2026] == (Decimal("400.00"), Decimal("700.00"))


def test_who_gets_what(seeded):
    city, people, _ = seeded("binzhou")
    by_person = defaultdict(list)
    for row in all_rows("binzhou"):
        by_person[row.person_id].append(row)
    categories = Counter()
    for person in people:
        rows = by_person[person["id"]]
        kinds = {row.insurance_type for row in rows}
        category = person["category"]
        if not rows:
            continue
        categories[category] += 1
        periods = sorted({row.period for row in rows})
        if category == "employee":
            assert kinds == {kind.value for kind in EMPLOYEE_TYPES}
            assert periods[0] == date(max(person["birth_date"].year + 20, 2000), 1, 1)
            assert periods[-1] == DEMO_THROUGH
            assert {row.payer for row in rows} == {person["employer"]}
            assert len(rows) == len(periods) * 5  # every month, every type
        elif category == "retiree":
            retirement_age = 60 if person["sex"] == "M" else 55
            assert periods[-1] < date(
                person["birth_date"].year + retirement_age, person["birth_date"].month, 1
            )
        elif category == "flexible":
            assert kinds == {"pension", "medical"}
            assert {row.payer for row in rows} == {SELF_PAYER}
        else:
            assert kinds == {"resident_pension", "resident_medical"}
            years = Counter((row.insurance_type, row.period.year) for row in rows)
            assert set(years.values()) == {1}  # once a year per insurance
    assert set(categories) == {"employee", "retiree", "flexible", "resident"}
    statuses = Counter(row.status for row in all_rows("binzhou"))
    assert statuses["paid"] > 0 and statuses["arrears"] > 0 and statuses["refunded"] > 0


def test_dezhou_records_its_types_and_the_pension_its_account_needs(seeded):
    seeded("dezhou")
    kinds = {row.insurance_type for row in all_rows("dezhou")}
    assert kinds == {"pension", "unemployment", "work_injury"}
    assert all_rows("binzhou") == []


def test_seeding_a_city_again_replaces_its_records(app, city_of):
    with app.app_context():
        seed_city(city_of("dezhou"), persons=10, seed=3)
        before = db.session.scalar(select(func.count()).select_from(Contribution))
        seed_city(city_of("dezhou"), persons=10, seed=3)
        after = db.session.scalar(select(func.count()).select_from(Contribution))
    assert before == after > 0
