"""The records modules' read services answer for the city they are given, on their own.

Outside any request nothing scopes queries automatically (that safety net is installed per
request), so these calls prove the services' own filter: contributions, pension_account,
benefits and printing, each called for Binzhou, see none of Dezhou's rows. The two cities
overlap: the same ID number is a person in each, and Dezhou has rows that point at the
Binzhou person's id (a row no import should make, and exactly what a lookup by id alone would
leak).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from shebao.core.extensions import db
from shebao.core.money import format_money
from shebao.modules.benefits import services as benefits
from shebao.modules.benefits.models import BenefitItem, BenefitPayment
from shebao.modules.contributions import services as contributions
from shebao.modules.pension_account import services as pension_account
from shebao.modules.pension_estimate import services as pension_estimate
from shebao.modules.printing import services as printing
from shebao.people.insurance import InsuranceType
from shebao.people.models import Person, PersonInsurance
from tests import factories
from tests.factories_contributions import contribution, record_months
from tests.factories_printing import issued_certificate

PENSION = InsuranceType.PENSION


def _pension_payment(city: str, person: Person, period: date, amount: str, item: str):
    payment = BenefitPayment(
        city=city,
        person_id=person.id,
        benefit_type="pension",
        period=period,
        paid_on=period.replace(day=5),
        total=Decimal(amount),
    )
    payment.items.append(BenefitItem(city=city, position=1, name=item, amount=Decimal(amount)))
    db.session.add(payment)
    db.session.flush()
    return payment


@pytest.fixture
def records(app, city_of):
    """Binzhou: one retiree with a year of pension contributions and pension payments.
    Dezhou: a person with the same ID number and larger figures, plus stray Dezhou rows on the
    Binzhou person's id (a contribution, an insured status, a payment, an item)."""
    binzhou, dezhou = city_of("binzhou"), city_of("dezhou")
    with app.app_context():
        mine = factories.person("binzhou", 1, category="retiree", name="滨州甲")
        namesake = factories.person("dezhou", 1, category="retiree", name="德州甲")
        assert mine.id_number == namesake.id_number
        own_rows = record_months(binzhou, mine.id, PENSION, 2024, base="5000")
        record_months(dezhou, namesake.id, PENSION, 2023, base="9000")
        record_months(dezhou, namesake.id, PENSION, 2024, base="9000")
        record_months(dezhou, namesake.id, InsuranceType.MEDICAL, 2024, base="9000")
        contribution("dezhou", owner=mine, insurance_type=PENSION, period=date(2022, 3, 1))
        contribution("dezhou", owner=mine, insurance_type="medical", period=date(2024, 3, 1))
        db.session.add(
            PersonInsurance(
                city="dezhou",
                person_id=mine.id,
                insurance_type="pension",
                status="suspended",
                first_insured=date(2005, 1, 1),
            )
        )
        for month in range(1, 13):
            own = _pension_payment("binzhou", mine, date(2024, month, 1), "3000.00", "基本养老金")
            _pension_payment("dezhou", namesake, date(2024, month, 1), "7777.00", "基本养老金")
        db.session.add(
            BenefitItem(
                city="dezhou", payment_id=own.id, position=2, name="调整金", amount=Decimal("9")
            )
        )
        _pension_payment("dezhou", mine, date(2021, 6, 1), "5555.00", "基本养老金")
        binzhou_code = "binzhou-code-" + "1" * 20
        dezhou_code = "dezhou-code-" + "2" * 20
        issued_certificate("binzhou", 1, person=mine, code=binzhou_code)
        issued_certificate("dezhou", 2, person=namesake, code=dezhou_code)
        db.session.commit()
        return SimpleNamespace(
            binzhou=binzhou,
            dezhou=dezhou,
            mine_id=mine.id,
            individual=sum(row.individual for row in own_rows),
            employer=sum(row.employer for row in own_rows),
            binzhou_code=binzhou_code,
            dezhou_code=dezhou_code,
        )


@pytest.fixture
def outside_a_request(app, records):
    """An app context without a request: no automatic city scoping."""
    from flask import has_request_context

    with app.app_context():
        assert not has_request_context()
        yield SimpleNamespace(**vars(records), me=db.session.get(Person, records.mine_id))


def test_contributions_reads_see_only_the_city_asked_for(outside_a_request):
    r = outside_a_request
    assert contributions.insured_years(r.binzhou, r.me, PENSION) == [2024]
    assert contributions.insured_years(r.binzhou, r.me, "medical") == []
    assert contributions.insured_years_by_type(r.binzhou, r.me) == {PENSION: [2024]}
    rows = contributions.contributions_in_year(r.binzhou, r.me, PENSION, 2024)
    assert len(rows) == 12 and {row.city for row in rows} == {"binzhou"}
    history = contributions.contribution_history(r.binzhou, r.me, PENSION, 2024, 1)
    assert {row.city for row in history.page.items} == {"binzhou"}
    assert (history.totals.months_paid, history.totals.individual) == (12, r.individual)
    summary = contributions.yearly_summary(r.binzhou, r.me, PENSION)
    assert [(line.year, line.totals.individual) for line in summary] == [(2024, r.individual)]
    # Asked for Dezhou, the same person id has only the stray Dezhou rows.
    assert contributions.insured_years(r.dezhou, r.me, PENSION) == [2022]
    assert contributions.contributions_in_year(r.dezhou, r.me, PENSION, 2024) == []


def test_pension_account_reads_see_only_the_city_asked_for(outside_a_request):
    r = outside_a_request
    statement = pension_account.account_statement(r.binzhou, r.me)
    assert [(line.year, line.credited) for line in statement] == [(2024, r.individual)]
    assert pension_account.statement_totals(statement).balance == r.individual
    page = pension_account.statement_page(r.binzhou, statement, 2024, None)
    assert [line.year for line in page.items] == [2024]
    months = pension_account.pension_months(r.binzhou, r.me, 2024)
    assert {row.city for row in months.rows} == {"binzhou"}
    assert months.totals.individual == r.individual
    assert [line.year for line in pension_account.account_statement(r.dezhou, r.me)] == [2022]


def test_benefits_reads_see_only_the_city_asked_for(outside_a_request):
    r = outside_a_request
    assert benefits.payment_years(r.binzhou, r.me, "pension") == [2024]
    page = benefits.payments(r.binzhou, r.me, "pension", 2024, None, 1, per_page=12)
    assert page.total == 12 and {payment.city for payment in page.items} == {"binzhou"}
    items = [item for payment in page.items for item in payment.items]
    assert {(item.city, item.name) for item in items} == {("binzhou", "基本养老金")}
    assert benefits.period_total(r.binzhou, r.me, "pension", 2024, None) == Decimal("36000.00")
    assert benefits.period_total(r.binzhou, r.me, "pension", 2024, 5) == Decimal("3000.00")
    assert benefits.payment_years(r.dezhou, r.me, "pension") == [2021]
    assert benefits.period_total(r.dezhou, r.me, "pension", 2024, None) == Decimal("0.00")


def test_certificate_figures_come_from_the_city_asked_for(outside_a_request):
    r = outside_a_request
    certificate = printing.build(r.binzhou, r.me, "contribution_certificate", {})
    totals = dict(certificate.totals)
    assert totals == {
        "months_paid": "12",
        "year_individual": format_money(r.individual),
        "year_employer": format_money(r.employer),
    }
    assert certificate.choices == {"year": ([2024], 2024)}
    # The stray Dezhou status row is not the Binzhou person's status.
    insurance_types = certificate.tables[0]
    assert [row[0:3] for row in insurance_types.rows] == [(str(PENSION.label), "2024-01", "12")]
    assert insurance_types.rows[0][4] == "—"

    rights = dict(printing.build(r.binzhou, r.me, "rights_record", {}).totals)
    assert rights["account_balance"] == format_money(r.individual)

    income = printing.build(r.binzhou, r.me, "pension_income", {})
    assert dict(income.totals) == {"months_received": "12", "pension_total": "36,000.00"}
    assert income.choices == {"year": ([2024], 2024)}

    account = printing.build(r.binzhou, r.me, "account_statement", {})
    assert account.choices == {"from": ([2024], 2024), "to": ([2024], 2024)}
    assert dict(account.totals)["credited"] == format_money(r.individual)


def test_verify_finds_a_code_only_in_its_own_city(outside_a_request):
    r = outside_a_request
    found = printing.verify(r.binzhou, r.binzhou_code)
    assert found is not None and found.record.city == "binzhou"
    assert printing.verify(r.dezhou, r.binzhou_code) is None
    assert printing.verify(r.binzhou, r.dezhou_code) is None
    assert printing.verify(r.dezhou, r.dezhou_code).record.city == "dezhou"


def test_issuing_records_the_certificate_in_the_city_asked_for(outside_a_request):
    r = outside_a_request
    certificate = printing.build(r.binzhou, r.me, "contribution_certificate", {})
    issued = printing.issue(r.binzhou, r.me, certificate, "缴费证明", "binzhou.localhost")
    assert issued.pdf.startswith(b"%PDF-") and issued.record.city == "binzhou"
    assert printing.verify(r.binzhou, issued.code).record.id == issued.record.id
    assert printing.verify(r.dezhou, issued.code) is None


def test_pension_estimate_facts_come_from_the_city_asked_for(outside_a_request):
    r = outside_a_request
    today = date(2026, 12, 2)
    facts = pension_estimate.employee_facts(r.binzhou, r.me, today)
    assert len(facts.facts.paid_months) == 12
    assert {base for _year, base in facts.facts.paid_months} == {Decimal("5000.00")}
    assert facts.facts.balance == r.individual and facts.facts.balance_year == 2024
    # Asked for Dezhou, the same person id has only the one stray Dezhou month.
    stray = pension_estimate.employee_facts(r.dezhou, r.me, today)
    assert len(stray.facts.paid_months) <= 1 and stray.last_record == date(2022, 3, 1)
    assert pension_estimate.resident_facts(r.binzhou, r.me, today).years_paid == 0
