"""待遇享受 / 社保待遇: benefit payments by year (and month), with items and totals, per city
and per person."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from shebao.core.extensions import db
from shebao.modules.benefits.models import BenefitItem, BenefitPayment
from tests.conftest import PASSWORD
from tests.factories_card import amount, demo_residents, h1s, tables


def html_of(response) -> str:
    return response.get_data(as_text=True)


def add_payments(
    app,
    city: str,
    person_id: int,
    benefit_type: str,
    periods: list[date],
    items=(("统筹支付", Decimal("100.50")),),
) -> None:
    with app.app_context():
        for period in periods:
            payment = BenefitPayment(
                city=city,
                person_id=person_id,
                benefit_type=benefit_type,
                period=period,
                paid_on=period.replace(day=10),
                total=sum((value for _, value in items), Decimal("0.00")),
            )
            payment.items = [
                BenefitItem(city=city, position=position, name=name, amount=value)
                for position, (name, value) in enumerate(items, start=1)
            ]
            db.session.add(payment)
        db.session.commit()


def payments_of(table: dict) -> list[dict]:
    """The payments of a benefits table: period, paid on, items and the payment's total."""
    found: list[dict] = []
    for row in table["body"]:
        if len(row) == 4:
            found.append({"period": row[0], "paid_on": row[1], "items": [(row[2], amount(row[3]))]})
        elif row[0] == "Total of this payment":
            found[-1]["total"] = amount(row[1])
        else:
            found[-1]["items"].append((row[0], amount(row[1])))
    return found


@pytest.fixture
def resident(binzhou, make_resident):
    """A logged-in Binzhou employee."""
    person = make_resident("binzhou", 21)
    assert binzhou.login(person.id_number, person.password).status_code == 302
    return person


# ---------------------------------------------------------------- demo residents, per city


@pytest.mark.parametrize(
    "code, label", [("binzhou", "职工退休金待遇"), ("dezhou", "退休金发放历史")]
)
def test_a_demo_retiree_sees_the_pension_payments_of_a_year(app, client_for, code, label):
    li = demo_residents(app, code, PASSWORD)["李娜"]
    client = client_for(code)
    assert client.login(li.id_number, PASSWORD).status_code == 302

    page = client.get("/benefits/pension")
    html = html_of(page)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert h1s(html) == [label]
    assert '<select id="year" name="year">' in html and '<select id="month" name="month">' in html

    english = html_of(client.get("/benefits/pension?year=2025&lang=en"))
    table = tables(english)[0]
    assert table["head"][0] == ["For month", "Paid on", "Item", "Amount (yuan)"]
    assert table["number_cells"] >= 6 * 4
    second = tables(html_of(client.get("/benefits/pension?year=2025&page=2")))[0]
    payments = payments_of(table) + payments_of(second)
    assert [p["period"] for p in payments] == [f"{date(2025, m, 1):%b} 2025" for m in range(1, 13)]
    for payment in payments:
        names = [name for name, _ in payment["items"]]
        assert names[:2] == ["Basic pension", "Transitional pension"]
        assert payment["total"] == sum(value for _, value in payment["items"])
    yearly = sum(p["total"] for p in payments)
    assert table["foot"][0] == ["Total for 2025 (number of payments: 12)", f"{yearly:,.2f}"]
    assert second["foot"] == table["foot"]


def test_pensions_rise_with_the_yearly_adjustment(app, binzhou):
    li = demo_residents(app, "binzhou", PASSWORD)["李娜"]
    with app.app_context():
        totals = dict(
            db.session.execute(
                select(BenefitPayment.period, BenefitPayment.total).where(
                    BenefitPayment.person_id == li.id, BenefitPayment.benefit_type == "pension"
                )
            ).all()
        )
        mismatched = [
            payment.period
            for payment in db.session.scalars(select(BenefitPayment)).all()
            if payment.total != sum(item.amount for item in payment.items)
        ]
    assert not mismatched
    assert max(totals) == date(2026, 11, 1)  # paid up to the demo's "today" (2026-11-20)
    assert totals[date(2026, 1, 1)] > totals[date(2025, 12, 1)]
    assert totals[date(2025, 12, 1)] == totals[date(2025, 1, 1)]


def test_a_non_retiree_is_told_there_are_no_pension_payments(app, binzhou):
    zhang = demo_residents(app, "binzhou", PASSWORD)["张伟"]
    assert binzhou.login(zhang.id_number, PASSWORD).status_code == 302
    html = html_of(binzhou.get("/benefits/pension?lang=en"))
    assert "You have no retirement pension payments on record." in html and "<table" not in html
    # the demo employee has an unemployment, a work injury and a medical episode
    for path in ("/benefits/unemployment", "/benefits/work-injury", "/benefits/medical"):
        page = binzhou.get(path)
        assert page.status_code == 200 and "<table" in html_of(page), path
    assert "You have no maternity benefit payments on record." in html_of(
        binzhou.get("/benefits/maternity")
    )


def test_dezhou_shows_only_the_pension(app, dezhou, make_resident):
    person = make_resident("dezhou", 22)
    assert dezhou.login(person.id_number, person.password).status_code == 302
    assert dezhou.get("/benefits/pension").status_code == 200
    for path in (
        "/benefits/unemployment",
        "/benefits/work-injury",
        "/benefits/maternity",
        "/benefits/medical",
    ):
        assert dezhou.get(path).status_code == 404


def test_dezhou_demo_data_has_only_pensions(app):
    demo_residents(app, "dezhou", PASSWORD)
    with app.app_context():
        kinds = set(db.session.scalars(select(BenefitPayment.benefit_type)).all())
    assert kinds == {"pension"}


# ---------------------------------------------------------------- choosing the period


def test_a_month_narrows_the_year(app, binzhou, resident):
    add_payments(
        app,
        "binzhou",
        resident.id,
        "medical",
        [date(2025, 3, 1), date(2025, 7, 1), date(2024, 7, 1)],
    )
    whole = payments_of(tables(html_of(binzhou.get("/benefits/medical?year=2025&lang=en")))[0])
    assert [p["period"] for p in whole] == ["Mar 2025", "Jul 2025"]
    for query in ("year=2025&month=07", "month=2025-07", "year=2024&month=2025-07"):
        table = tables(html_of(binzhou.get(f"/benefits/medical?{query}")))[0]
        assert [p["period"] for p in payments_of(table)] == ["Jul 2025"], query
        assert table["foot"][0] == ["Total for Jul 2025 (number of payments: 1)", "100.50"]
        assert table["caption"].endswith("paid for Jul 2025")
    nothing = html_of(binzhou.get("/benefits/medical?year=2025&month=01"))
    assert "There are no payments for Jan 2025." in nothing and "<table" not in nothing


def test_the_page_opens_on_the_newest_year_with_payments(app, binzhou, resident):
    add_payments(app, "binzhou", resident.id, "unemployment", [date(2019, 4, 1), date(2021, 5, 1)])
    html = html_of(binzhou.get("/benefits/unemployment?lang=en"))
    assert re.search(r'<option value="2021"\s+selected>', html)
    assert re.search(r'<option value="2019"\s*>', html)
    assert [p["period"] for p in payments_of(tables(html)[0])] == ["May 2021"]


@pytest.mark.parametrize(
    "query, message",
    [
        ({"year": "1800"}, "There are no records for 1800. Choose a year from the list."),
        ({"year": "2018"}, "There are no records for 2018. Choose a year from the list."),
        ({"year": "abc"}, "Choose a year from the list."),
        ({"year": "-2025"}, "Choose a year from the list."),
        ({"year": "9" * 10000}, "Choose a year from the list."),
        ({"year": "2025 OR 1=1"}, "Choose a year from the list."),
        ({"year": "<b>2025</b>"}, "Choose a year from the list."),
        ({"year": "2025", "month": "13"}, "Choose a month from the list."),
        ({"year": "2025", "month": "0"}, "Choose a month from the list."),
        ({"year": "2025", "month": "<i>"}, "Enter the month as year-month, for example 2024-05."),
        ({"month": "2025-13"}, "Enter the month as year-month, for example 2024-05."),
        ({"month": "x" * 10000}, "Enter the month as year-month, for example 2024-05."),
        ({"month": "2018-05"}, "There are no records for 2018. Choose a year from the list."),
        ({"year": "2025", "page": "2"}, "There is no page 2; the last page is 1."),
        ({"year": "2025", "page": "-1"}, "The page number must be a whole number from 1 up."),
        ({"year": "2025", "page": "x"}, "The page number must be a whole number from 1 up."),
    ],
)
def test_bad_input_gets_a_message_not_an_error(app, binzhou, resident, query, message):
    add_payments(app, "binzhou", resident.id, "medical", [date(2025, 3, 1)])
    page = binzhou.get("/benefits/medical", query_string={**query, "lang": "en"})
    html = html_of(page)
    assert page.status_code == 200
    assert message in html
    assert "<table" not in html and "<b>2025" not in html and "<i>" not in html


def test_payments_are_paged_and_the_total_covers_the_whole_year(app, binzhou, resident):
    add_payments(
        app,
        "binzhou",
        resident.id,
        "work_injury",
        [date(2025, m, 1) for m in range(1, 13)],
        items=(("伤残津贴", Decimal("3000.01")), ("工伤医疗费", Decimal("0.99"))),
    )
    add_payments(app, "binzhou", resident.id, "work_injury", [date(2024, 12, 1), date(2026, 1, 1)])
    first = html_of(binzhou.get("/benefits/work-injury?year=2025&lang=en"))
    table = tables(first)[0]
    assert [p["period"] for p in payments_of(table)] == [
        f"{date(2025, m, 1):%b} 2025" for m in range(1, 7)
    ]
    assert all(p["total"] == Decimal("3001.00") for p in payments_of(table))
    # the year's total counts every page's payments, and nothing of 2024 or 2026
    assert table["foot"][0] == ["Total for 2025 (number of payments: 12)", "36,012.00"]
    assert (
        "year=2025&amp;month=&amp;page=2" in first
        and "Next page" in first
        and "Previous page" not in first
    )
    last = html_of(binzhou.get("/benefits/work-injury?year=2025&page=2"))
    table = tables(last)[0]
    assert [p["period"] for p in payments_of(table)] == [
        f"{date(2025, m, 1):%b} 2025" for m in range(7, 13)
    ]
    assert table["foot"][0][1] == "36,012.00"
    assert "Previous page" in last and "Next page" not in last
    assert "There is no page 3; the last page is 2." in html_of(
        binzhou.get("/benefits/work-injury?year=2025&page=3")
    )


# ---------------------------------------------------------------- city and person scoping


def test_another_persons_payments_are_never_shown(app, binzhou, make_resident):
    other = make_resident("binzhou", 23, category="retiree")
    add_payments(
        app,
        "binzhou",
        other.id,
        "pension",
        [date(2025, 1, 1)],
        items=(("基本养老金", Decimal("4321.09")),),
    )
    me = make_resident("binzhou", 24)
    assert binzhou.login(me.id_number, me.password).status_code == 302
    for query in ("", "?year=2025", "?month=2025-01"):
        html = html_of(binzhou.get(f"/benefits/pension{query}"))
        assert "4,321.09" not in html and "<table" not in html


def test_binzhou_payments_are_not_shown_in_dezhou(app, dezhou, make_resident):
    mine = make_resident("binzhou", 25, category="retiree")
    add_payments(
        app,
        "binzhou",
        mine.id,
        "pension",
        [date(2025, 1, 1)],
        items=(("基本养老金", Decimal("4321.09")),),
    )
    twin = make_resident("dezhou", 25, category="retiree")
    assert twin.id_number == mine.id_number
    assert dezhou.login(twin.id_number, twin.password).status_code == 302
    html = html_of(dezhou.get("/benefits/pension?lang=en"))
    assert "4,321.09" not in html and "You have no retirement pension payments on record." in html
