"""Payments: the flows of each city through the sandbox bank, orders, bad input, expiry."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from shebao.audit import AuditEvent
from shebao.core import time as clock
from shebao.core.extensions import db
from shebao.modules.contributions.models import SELF_PAYER, Contribution
from shebao.modules.payments.models import PaymentOrder, PaymentTransition

TODAY = date(2026, 11, 25)
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(clock, "local_today", lambda: TODAY)


@pytest.fixture
def resident(make_resident):
    def make(city: str, seq: int = 1, category: str = "flexible"):
        return make_resident(city, seq, category=category)

    return make


def logged_in(client, person):
    client.login(person.id_number, person.password)
    return client


def post_step(client, order_path: str, step: str, data: dict | None = None):
    """Press a button of the order page (every button's form carries the CSRF token)."""
    found = CSRF.search(text(client.get(order_path + "?lang=en")))
    if found is None:  # a closed order's page has no buttons: any form's token will do
        found = CSRF.search(text(client.get("/payments/flexible")))
    token = found.group(1)
    return client.post(f"{order_path}/{step}", data={"csrf_token": token, **(data or {})})


def start_flexible(
    client,
    start="2026-09",
    end="2026-10",
    types=("pension", "medical"),
    base="5000",
    path="/payments/flexible",
):
    response = client.submit(path, {"start": start, "end": end, "types": list(types), "base": base})
    return response


def order_path_of(response) -> str:
    assert response.status_code == 302, response.status_code
    location = response.headers["Location"]
    assert "/payments/orders/" in location, location
    return location


def pay_at_sandbox(client, order_path: str, action: str = "paid", bank: str = "icbc"):
    response = post_step(client, order_path, "pay", {"bank": bank})
    assert response.status_code == 302
    bank_page = response.headers["Location"]
    assert bank_page.startswith(f"/sandbox-bank/{bank}/")
    page = client.get(bank_page + "?lang=en")
    assert page.status_code == 200
    token = CSRF.search(text(page)).group(1)
    back = client.post(bank_page, data={"csrf_token": token, "action": action})
    assert back.status_code == 302 and back.headers["Location"] == order_path
    return text(page)


def contributions_of(app, person_id: int):
    with app.app_context():
        return [
            (row.insurance_type, row.period, row.base, row.individual, row.status, row.payer)
            for row in db.session.scalars(
                select(Contribution)
                .where(Contribution.person_id == person_id)
                .order_by(Contribution.insurance_type, Contribution.period)
            )
        ]


def order_row(app, number: str):
    with app.app_context():
        order = db.session.scalar(select(PaymentOrder).where(PaymentOrder.number == number))
        transitions = [
            (t.from_status, t.to_status, t.cause)
            for t in db.session.scalars(
                select(PaymentTransition)
                .where(PaymentTransition.order_id == order.id)
                .order_by(PaymentTransition.id)
            )
        ]
        return order, transitions


def number_of(order_path: str) -> str:
    return order_path.rsplit("/", 1)[1]


# --- Binzhou: 个体人员缴费, confirm flow ------------------------------------------------------


def test_binzhou_flexible_payment_end_to_end(app, binzhou, resident):
    person = resident("binzhou")
    logged_in(binzhou, person)
    form = text(binzhou.get("/payments/flexible?lang=en"))
    assert "<h1>" in form and form.count("<h1>") == 1
    assert "from Nov 2025 to Nov 2026" in form  # the window the city allows

    order_path = order_path_of(start_flexible(binzhou))
    page = text(binzhou.get(order_path + "?lang=en"))
    assert "Confirm payment" in page and "Void" in page
    # 2 months × (5000 × 20 % + 5000 × 8 %) = 2 × 1400
    assert "2,800.00" in page

    assert post_step(binzhou, order_path, "confirm").status_code == 302
    page = text(binzhou.get(order_path + "?lang=en"))
    assert "Choose a bank" in page and "Pay now" in page and "Back" in page
    assert "ICBC" in page or "中国工商银行" in page

    bank_page = pay_at_sandbox(binzhou, order_path)
    assert "2,800.00" in bank_page

    page = text(binzhou.get(order_path + "?lang=en"))
    assert "Payment successful" in page and "Done" in page

    order, transitions = order_row(app, number_of(order_path))
    assert order.status == "paid" and order.total == Decimal("2800.00") and order.paid_at
    assert [t[:2] for t in transitions] == [
        ("", "created"),
        ("created", "confirmed"),
        ("confirmed", "paying"),
        ("paying", "paid"),
    ]
    assert contributions_of(app, person.id) == [
        ("medical", date(2026, 9, 1), Decimal("5000.00"), Decimal("400.00"), "paid", SELF_PAYER),
        ("medical", date(2026, 10, 1), Decimal("5000.00"), Decimal("400.00"), "paid", SELF_PAYER),
        ("pension", date(2026, 9, 1), Decimal("5000.00"), Decimal("1000.00"), "paid", SELF_PAYER),
        ("pension", date(2026, 10, 1), Decimal("5000.00"), Decimal("1000.00"), "paid", SELF_PAYER),
    ]
    history = text(binzhou.get("/contributions/pension?year=2026&lang=en"))
    assert "Sep 2026" in history and "Oct 2026" in history and "1,000.00" in history

    with app.app_context():
        events = set(db.session.scalars(select(AuditEvent.event)))
    assert {
        "payment_order_created",
        "payment_order_confirmed",
        "payment_order_paying",
        "payment_order_paid",
    } <= events

    # The same months cannot be paid twice.
    again = start_flexible(binzhou, start="2026-10", end="2026-11")
    assert again.status_code == 200 and "Already paid: 2026-10" in text(again)


def test_coming_back_from_the_bank_never_marks_paid_the_status_query_does(app, binzhou, resident):
    person = resident("binzhou")
    logged_in(binzhou, person)
    order_path = order_path_of(start_flexible(binzhou, types=("pension",)))
    post_step(binzhou, order_path, "confirm")
    pay_at_sandbox(binzhou, order_path, action="paid_silently")

    page = text(binzhou.get(order_path + "?lang=en"))
    assert "waiting for the bank" in page
    assert order_row(app, number_of(order_path))[0].status == "paying"
    assert contributions_of(app, person.id) == []

    post_step(binzhou, order_path, "check")
    order, transitions = order_row(app, number_of(order_path))
    assert order.status == "paid" and transitions[-1] == ("paying", "paid", "bank query")
    assert len(contributions_of(app, person.id)) == 2


def test_declined_payment_fails_and_frees_the_months(app, binzhou, resident):
    person = resident("binzhou")
    logged_in(binzhou, person)
    order_path = order_path_of(start_flexible(binzhou))
    post_step(binzhou, order_path, "confirm")
    pay_at_sandbox(binzhou, order_path, action="declined")
    assert order_row(app, number_of(order_path))[0].status == "failed"
    assert "did not take the payment" in text(binzhou.get(order_path + "?lang=en"))
    assert contributions_of(app, person.id) == []
    order_path_of(start_flexible(binzhou))  # the months can be paid again


@pytest.mark.parametrize("step", ["created", "confirmed"])
def test_void_and_back_void_the_order(app, binzhou, resident, step):
    logged_in(binzhou, resident("binzhou"))
    order_path = order_path_of(start_flexible(binzhou))
    if step == "confirmed":
        post_step(binzhou, order_path, "confirm")
    post_step(binzhou, order_path, "void")
    order, transitions = order_row(app, number_of(order_path))
    assert order.status == "voided" and transitions[-1][:2] == (step, "voided")
    assert "voided" in text(binzhou.get(order_path + "?lang=en"))
    # voided: nothing more happens to it
    post_step(binzhou, order_path, "confirm")
    assert order_row(app, number_of(order_path))[0].status == "voided"
    order_path_of(start_flexible(binzhou))


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"base": "3999.99"}, "between 4250.00 and 21250.00"),
        ({"base": "999999999"}, "between"),
        ({"base": "abc"}, "Enter the base in yuan"),
        ({"base": "4500.001"}, "at most two decimals"),
        ({"base": "NaN"}, "Enter the base"),
        ({"start": "2024-01", "end": "2024-02"}, "You can pay the months from 2025-11 to 2026-11"),
        ({"start": "2026-12", "end": "2026-12"}, "You can pay the months from 2025-11 to 2026-11"),
        ({"start": "2026-10", "end": "2026-09"}, "must not be before the start month"),
        ({"start": "2026-13", "end": "2026-09"}, "Enter the month as year-month"),
        ({"start": "x" * 10000}, "Enter the month as year-month"),
        ({"types": []}, "Choose at least one insurance type"),
        ({"types": ["unemployment"]}, "Choose at least one insurance type"),
        ({"base": "<script>alert(1)</script>"}, "Enter the base in yuan"),
    ],
)
def test_bad_flexible_input_gets_a_message_and_creates_nothing(
    app, binzhou, resident, values, message
):
    logged_in(binzhou, resident("binzhou"))
    data = {"start": "2026-09", "end": "2026-10", "types": ["pension"], "base": "5000", **values}
    response = binzhou.submit("/payments/flexible?lang=en", data)
    assert response.status_code == 200
    assert message in text(response)
    assert "<script>alert(1)</script>" not in text(response)
    with app.app_context():
        assert db.session.scalar(select(PaymentOrder.id)) is None


def test_months_in_an_open_order_are_refused_in_another_tab(app, binzhou, resident):
    logged_in(binzhou, resident("binzhou"))
    order_path_of(start_flexible(binzhou, start="2026-09", end="2026-10"))
    second = start_flexible(
        binzhou, start="2026-10", end="2026-11", path="/payments/flexible?lang=en"
    )
    assert second.status_code == 200 and "already in another order: 2026-10" in text(second)


def test_another_persons_order_is_not_found(app, binzhou, client_for, resident):
    logged_in(binzhou, resident("binzhou", 1))
    order_path = order_path_of(start_flexible(binzhou))
    other = logged_in(client_for("binzhou"), resident("binzhou", 2))
    assert other.get(order_path).status_code == 404
    token = CSRF.search(text(other.get("/payments/flexible"))).group(1)
    assert other.post(order_path + "/void", data={"csrf_token": token}).status_code in (400, 404)
    assert order_row(app, number_of(order_path))[0].status == "created"
    # and the other city never sees it
    dezhou = logged_in(client_for("dezhou"), resident("dezhou", 3))
    assert dezhou.get(order_path).status_code == 404


# --- Dezhou: 灵活就业社保缴费, review flow ----------------------------------------------------


def test_dezhou_review_flow_with_payment_succeeded_button(app, dezhou, resident):
    person = resident("dezhou")
    logged_in(dezhou, person)
    form = text(dezhou.get("/payments/flexible?lang=en"))
    assert "Cancel" in form
    # 灵活就业社保缴费 pays pension; medical has its own menu entry (灵活就业医保缴费)
    assert 'value="pension"' in form and 'value="medical"' not in form
    order_path = order_path_of(
        start_flexible(dezhou, start="2026-10", end="2026-11", types=("pension",), base="4100")
    )
    page = text(dezhou.get(order_path + "?lang=en"))
    assert "Review the amount due" in page and "Previous" in page and "Void" in page
    assert "Oct 2026" in page and "Nov 2026" in page and "820.00" in page and "1,640.00" in page

    # 上一步: back to the form with the choices kept; the order is voided
    back = post_step(dezhou, order_path, "back")
    assert back.status_code == 302 and "/payments/flexible?" in back.headers["Location"]
    refill = text(dezhou.get(back.headers["Location"]))
    assert 'value="2026-10"' in refill and 'value="4100.00"' in refill
    assert order_row(app, number_of(order_path))[0].status == "voided"

    order_path = order_path_of(
        start_flexible(dezhou, start="2026-10", end="2026-11", types=("pension",), base="4100")
    )
    post_step(dezhou, order_path, "confirm")
    assert "Pay now" in text(dezhou.get(order_path + "?lang=en"))
    pay_at_sandbox(dezhou, order_path, action="paid_silently", bank="dzbank")
    page = text(dezhou.get(order_path + "?lang=en"))
    assert "Payment succeeded" in page and "Payment failed" in page
    # Either button asks the bank; the bank's answer (paid) decides.
    post_step(dezhou, order_path, "check", {"said": "failed"})
    assert order_row(app, number_of(order_path))[0].status == "paid"
    assert [row[:2] for row in contributions_of(app, person.id)] == [
        ("pension", date(2026, 10, 1)),
        ("pension", date(2026, 11, 1)),
    ]
    statement = text(dezhou.get("/pension-account/statement?lang=en"))
    assert "Oct 2026" in statement and "Nov 2026" in statement and "1,640.00" in statement


def test_dezhou_flexible_medical_offers_only_medical(app, dezhou, resident):
    person = resident("dezhou")
    logged_in(dezhou, person)
    form = text(dezhou.get("/payments/flexible-medical?lang=en"))
    assert 'value="medical"' in form and 'value="pension"' not in form
    refused = start_flexible(
        dezhou, types=("pension",), base="4100", path="/payments/flexible-medical?lang=en"
    )
    assert "Choose at least one insurance type" in text(refused)
    order_path = order_path_of(
        start_flexible(
            dezhou,
            start="2026-11",
            end="2026-11",
            types=("medical",),
            base="4100",
            path="/payments/flexible-medical",
        )
    )
    post_step(dezhou, order_path, "confirm")
    pay_at_sandbox(dezhou, order_path, bank="boc")
    assert contributions_of(app, person.id) == [
        ("medical", date(2026, 11, 1), Decimal("4100.00"), Decimal("307.50"), "paid", SELF_PAYER)
    ]


def test_dezhou_window_is_six_months(dezhou, resident):
    logged_in(dezhou, resident("dezhou"))
    response = start_flexible(
        dezhou, start="2026-04", end="2026-05", base="4100", path="/payments/flexible?lang=en"
    )
    assert "You can pay the months from May 2026 to Nov 2026" in text(response)


# --- resident pension and medical (Binzhou) ----------------------------------------------


def test_resident_pension_once_a_year(app, binzhou, resident):
    person = resident("binzhou", category="resident")
    logged_in(binzhou, person)
    page = text(binzhou.get("/payments/resident-pension?lang=en"))
    assert "5,000.00" in page and "300.00" in page
    response = binzhou.submit("/payments/resident-pension", {"year": "2026", "grade": "500.00"})
    order_path = order_path_of(response)
    assert "Confirm payment" in text(binzhou.get(order_path + "?lang=en"))
    post_step(binzhou, order_path, "confirm")
    pay_at_sandbox(binzhou, order_path, bank="rcb")
    assert contributions_of(app, person.id) == [
        (
            "resident_pension",
            date(2026, 1, 1),
            Decimal("500.00"),
            Decimal("500.00"),
            "paid",
            SELF_PAYER,
        )
    ]
    again = binzhou.submit(
        "/payments/resident-pension?lang=en", {"year": "2026", "grade": "300.00"}
    )
    assert "already been paid" in text(again)
    for bad in (
        {"year": "2026", "grade": "499"},
        {"year": "2025", "grade": "300"},
        {"year": "x" * 5000, "grade": ""},
    ):
        response = binzhou.submit("/payments/resident-pension?lang=en", bad)
        assert response.status_code == 200 and "from the list" in text(response)


def test_resident_medical_within_the_window(app, binzhou, resident):
    person = resident("binzhou", category="resident")
    logged_in(binzhou, person)
    page = text(binzhou.get("/payments/resident-medical?lang=en"))
    assert "400.00" in page and "420.00" in page  # 2026 and 2027 are both open on 2026-11-25
    order_path = order_path_of(binzhou.submit("/payments/resident-medical", {"year": "2027"}))
    post_step(binzhou, order_path, "confirm")
    pay_at_sandbox(binzhou, order_path)
    page = text(binzhou.get(order_path + "?lang=en"))
    assert "Payment successful" in page and "Done" in page
    assert contributions_of(app, person.id)[0][:4] == (
        "resident_medical",
        date(2027, 1, 1),
        Decimal("420.00"),
        Decimal("420.00"),
    )
    closed = binzhou.submit("/payments/resident-medical?lang=en", {"year": "2025"})
    assert "cannot be paid at this time" in text(closed)


def test_dezhou_has_no_resident_payments(dezhou, resident):
    logged_in(dezhou, resident("dezhou"))
    assert dezhou.get("/payments/resident-pension").status_code == 404
    assert dezhou.get("/payments/resident-medical").status_code == 404


# --- order management ----------------------------------------------------------------------


def test_orders_page_lists_continues_and_pages(app, binzhou, resident):
    person = resident("binzhou")
    logged_in(binzhou, person)
    assert "You have no payment orders" in text(binzhou.get("/payments/orders?lang=en"))
    paths = [
        order_path_of(
            start_flexible(binzhou, start=f"2026-{m:02d}", end=f"2026-{m:02d}", types=("pension",))
        )
        for m in range(1, 12)
    ]
    page = text(binzhou.get("/payments/orders?lang=en"))
    assert page.count("<h1>") == 1 and 'scope="col"' in page and "Next page" in page
    assert number_of(paths[-1]) in page and number_of(paths[0]) not in page
    assert "Continue" in page and "Awaiting confirmation" in page
    second = text(binzhou.get("/payments/orders?page=2&lang=en"))
    assert number_of(paths[0]) in second and "Previous page" in second
    for bad in ("99", "-1", "abc", "9" * 40):
        response = binzhou.get(f"/payments/orders?page={bad}&lang=en")
        assert response.status_code == 200 and "page" in text(response).lower()


# --- expiry ----------------------------------------------------------------------------------


def test_expire_command_expires_stale_orders_and_asks_the_bank(app, binzhou, resident):
    person = resident("binzhou")
    logged_in(binzhou, person)
    stale = order_path_of(
        start_flexible(binzhou, start="2026-01", end="2026-01", types=("pension",))
    )
    stuck = order_path_of(
        start_flexible(binzhou, start="2026-02", end="2026-02", types=("pension",))
    )
    post_step(binzhou, stuck, "confirm")
    pay_at_sandbox(binzhou, stuck, action="paid_silently")
    fresh = order_path_of(
        start_flexible(binzhou, start="2026-03", end="2026-03", types=("pension",))
    )
    with app.app_context():
        db.session.execute(
            PaymentOrder.__table__.update()
            .where(PaymentOrder.number.in_([number_of(stale), number_of(stuck)]))
            .values(updated_at=datetime.now(UTC) - timedelta(hours=2))
        )
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["payments", "expire"])
    assert result.exit_code == 0, result.output
    assert "binzhou: 1 expired, 1 paid, 0 failed" in result.output
    assert order_row(app, number_of(stale))[0].status == "expired"
    assert order_row(app, number_of(stuck))[0].status == "paid"
    assert order_row(app, number_of(fresh))[0].status == "created"
    # a second run (another node, or cron again) changes nothing
    again = app.test_cli_runner().invoke(args=["payments", "expire"])
    assert "binzhou: 0 expired, 0 paid, 0 failed" in again.output
    order_path_of(start_flexible(binzhou, start="2026-01", end="2026-01", types=("pension",)))


# --- the sandbox bank is refused when it is not the backend ----------------------------------


def test_sandbox_pages_are_404_and_payment_unavailable_without_the_sandbox(app, binzhou, resident):
    from shebao.integrations.bank import NoBank

    logged_in(binzhou, resident("binzhou"))
    order_path = order_path_of(start_flexible(binzhou))
    post_step(binzhou, order_path, "confirm")
    sandbox = app.extensions["shebao.bank"]
    app.extensions["shebao.bank"] = NoBank()
    try:
        assert binzhou.get(f"/sandbox-bank/icbc/{number_of(order_path)}").status_code == 404
        response = post_step(binzhou, order_path, "pay", {"bank": "icbc"})
        assert response.status_code == 409
        assert "not available at the moment" in text(response)
        assert order_row(app, number_of(order_path))[0].status == "confirmed"
    finally:
        app.extensions["shebao.bank"] = sandbox


def test_a_bank_not_offered_by_the_city_is_refused(app, binzhou, resident):
    logged_in(binzhou, resident("binzhou"))
    order_path = order_path_of(start_flexible(binzhou))
    post_step(binzhou, order_path, "confirm")
    response = post_step(binzhou, order_path, "pay", {"bank": "dzbank"})  # Dezhou's bank
    assert response.status_code == 409 and "Choose a bank from the list" in text(response)
    assert order_row(app, number_of(order_path))[0].status == "confirmed"


def test_orders_page_voids_an_open_order_and_links_a_paid_ones_receipt(app, binzhou, resident):
    logged_in(binzhou, resident("binzhou"))
    paid = order_path_of(
        start_flexible(binzhou, start="2026-01", end="2026-01", types=("pension",))
    )
    post_step(binzhou, paid, "confirm")
    pay_at_sandbox(binzhou, paid)
    open_ = order_path_of(
        start_flexible(binzhou, start="2026-02", end="2026-02", types=("pension",))
    )
    page = text(binzhou.get("/payments/orders?lang=en"))
    assert f'href="{paid}" aria-label="Receipt {number_of(paid)}"' in page
    assert f'action="{open_}/void"' in page and f'action="{paid}/void"' not in page
    token = CSRF.search(page).group(1)
    response = binzhou.post(open_ + "/void", data={"csrf_token": token, "from": "orders"})
    assert response.status_code == 302 and response.headers["Location"] == "/payments/orders"
    assert order_row(app, number_of(open_))[0].status == "voided"
    receipt = text(binzhou.get(paid + "?lang=en"))
    assert "Payment successful" in receipt and "Bank transaction" in receipt


def test_dezhou_shows_base_and_amount_before_next_without_creating_an_order(app, dezhou, resident):
    logged_in(dezhou, resident("dezhou"))
    data = {"start": "2026-09", "end": "2026-11", "types": ["pension"], "base": "4100"}
    shown = dezhou.submit("/payments/flexible?lang=en", {**data, "action": "preview"})
    page = text(shown)
    assert shown.status_code == 200 and "Base and amount" in page
    assert "Sep 2026 – Nov 2026" in page and "4,100.00" in page and "2,460.00" in page
    assert 'value="2026-09"' in page  # the choices stay in the form for 下一步
    with app.app_context():
        assert db.session.scalar(select(PaymentOrder.id)) is None
    refused = dezhou.submit(
        "/payments/flexible?lang=en", {**data, "base": "1", "action": "preview"}
    )
    assert "the base must be between" in text(refused)
    order_path_of(dezhou.submit("/payments/flexible", {**data, "action": "next"}))
