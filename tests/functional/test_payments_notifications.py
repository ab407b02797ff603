"""Bank notifications: verified, processed exactly once, money never lost; races.

The concurrent tests run real threads, each with its own app context and database session,
against the suite's database (SQLite or PostgreSQL).
"""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from shebao.audit import AuditEvent
from shebao.core.extensions import db
from shebao.core.time import utcnow
from shebao.core.transactions import unit_of_work
from shebao.integrations.bank import BankNotice
from shebao.integrations.bank.sandbox import notice_body, sign
from shebao.modules.contributions.models import Contribution
from shebao.modules.payments import services
from shebao.modules.payments.amounts import Line
from shebao.modules.payments.models import (
    BankNotification,
    PaymentOrder,
    PaymentOrderLine,
    PaymentTransition,
)
from shebao.people.models import Person

LINES = [
    Line("pension", date(2026, 9, 1), Decimal("5000.00"), Decimal("1000.00")),
    Line("medical", date(2026, 9, 1), Decimal("5000.00"), Decimal("400.00")),
]
THREADS = 20


@pytest.fixture
def paying_order(app, make_resident):
    """A Binzhou order in paying at icbc (as after 立即支付), with the sandbox's request:
    each step in its own unit of work, as the views run them."""

    def make(seq: int = 1, lines=LINES) -> str:
        resident = make_resident("binzhou", seq, category="flexible")
        city = binzhou_city(app)
        with app.app_context():
            person = db.session.get(Person, resident.id)
            with unit_of_work():
                order = services.create_order(city, person, "flexible", "flexible", lines)
            with unit_of_work():
                assert services.confirm(city, order)
            services.open_bank_payment(city, order, "icbc", ["icbc"], "/")
            with unit_of_work():
                services.mark_paying(city, order, "icbc")
            return order.number

    return make


def binzhou_city(app):
    return app.extensions["shebao.cities"].get("binzhou")


def order_of(number: str) -> PaymentOrder:
    return db.session.scalar(select(PaymentOrder).where(PaymentOrder.number == number))


def void(app, number: str) -> bool:
    """作废 in its own unit of work, as the void view runs it."""
    with unit_of_work():
        return services.void(binzhou_city(app), order_of(number))


def notify(app, body: bytes, signature: str) -> str:
    """The notify view's unit of work around the service (without the HTTP round trip)."""
    with unit_of_work():
        return services.handle_notification(binzhou_city(app), "icbc", body, signature)


def signed(
    number: str, amount="1400.00", transaction="TX1", outcome="paid", bank="icbc", city="binzhou"
):
    notice = BankNotice(city, bank, number, transaction, Decimal(amount), outcome)
    body = notice_body(notice)
    return body, sign(app_secret(), body)


def app_secret() -> str:
    from shebao.core.settings import DEV_BANK_SECRET

    return DEV_BANK_SECRET


def post_notice(client, body: bytes, signature: str, bank="icbc"):
    return client.post(
        f"/payments/notify/{bank}",
        data=body,
        headers={"X-Shebao-Signature": signature, "Content-Type": "application/json"},
    )


def state(app, number: str):
    with app.app_context():
        order = db.session.scalar(select(PaymentOrder).where(PaymentOrder.number == number))
        return {
            "status": order.status,
            "refund_due": order.refund_due,
            "paid_moves": db.session.scalar(
                select(func.count())
                .select_from(PaymentTransition)
                .where(
                    PaymentTransition.order_id == order.id, PaymentTransition.to_status == "paid"
                )
            ),
            "contributions": db.session.scalar(
                select(func.count())
                .select_from(Contribution)
                .where(Contribution.person_id == order.person_id)
            ),
            "notices": [
                (n.transaction_id, n.result)
                for n in db.session.scalars(
                    select(BankNotification).where(BankNotification.order_id == order.id)
                )
            ],
        }


def test_a_signed_notification_pays_once_and_duplicates_are_acknowledged(
    app, binzhou, paying_order
):
    number = paying_order()
    body, signature = signed(number)
    first = post_notice(binzhou, body, signature)
    assert first.status_code == 200 and first.get_data(as_text=True) == "OK applied"
    again = post_notice(binzhou, body, signature)
    assert again.status_code == 200 and again.get_data(as_text=True) == "OK duplicate"
    assert state(app, number) == {
        "status": "paid",
        "refund_due": False,
        "paid_moves": 1,
        "contributions": 2,
        "notices": [("TX1", "applied")],
    }


@pytest.mark.parametrize(
    "forge",
    [
        "bad_signature",
        "no_signature",
        "replayed_with_another_amount",
        "signed_with_another_amount",
        "malformed_json",
        "missing_field",
        "unknown_order",
        "another_city",
        "another_bank_in_path",
        "huge_body",
    ],
)
def test_forged_replayed_and_malformed_notifications_are_refused(app, binzhou, paying_order, forge):
    number = paying_order()
    body, signature = signed(number)
    bank = "icbc"
    if forge == "bad_signature":
        signature = sign("not-the-secret", body)
    elif forge == "no_signature":
        signature = ""
    elif forge == "replayed_with_another_amount":
        body = body.replace(b'"1400.00"', b'"1.00"')
    elif forge == "signed_with_another_amount":
        body, signature = signed(number, amount="1.00")
    elif forge == "malformed_json":
        body = b'{"order": "' + number.encode() + b'",'
        signature = sign(app_secret(), body)
    elif forge == "missing_field":
        body = b'{"order": "' + number.encode() + b'", "amount": "1400.00"}'
        signature = sign(app_secret(), body)
    elif forge == "unknown_order":
        body, signature = signed("BZ0000000000")
    elif forge == "another_city":
        body, signature = signed(number, city="dezhou")
    elif forge == "another_bank_in_path":
        bank = "ccb"
    elif forge == "huge_body":
        body = b"{" + b" " * 100_000 + b"}"
        signature = sign(app_secret(), body)
    response = post_notice(binzhou, body, signature, bank=bank)
    assert response.status_code == 400
    assert state(app, number) == {
        "status": "paying",
        "refund_due": False,
        "paid_moves": 0,
        "contributions": 0,
        "notices": [],
    }
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.event == "payment_notice_refused")
            )
            == 1
        )


def test_notify_needs_no_session_or_csrf_but_other_posts_do(binzhou, paying_order):
    number = paying_order()
    assert binzhou.post(f"/payments/orders/{number}/void").status_code in (302, 400)
    body, signature = signed(number)
    assert post_notice(binzhou, body, signature).status_code == 200


def test_a_declined_notification_fails_the_order(app, binzhou, paying_order):
    number = paying_order()
    body, signature = signed(number, outcome="declined")
    assert post_notice(binzhou, body, signature).status_code == 200
    assert state(app, number)["status"] == "failed"


def test_payment_for_a_voided_order_is_kept_and_flagged_for_refund(app, binzhou, paying_order):
    number = paying_order()
    with app.app_context():
        assert void(app, number)
    body, signature = signed(number)
    response = post_notice(binzhou, body, signature)
    assert response.status_code == 200 and response.get_data(as_text=True) == "OK refund"
    assert state(app, number) == {
        "status": "voided",
        "refund_due": True,
        "paid_moves": 0,
        "contributions": 0,
        "notices": [("TX1", "refund")],
    }


def test_a_second_payment_for_a_paid_order_is_flagged_for_refund(app, binzhou, paying_order):
    number = paying_order()
    post_notice(binzhou, *signed(number, transaction="TX1"))
    response = post_notice(binzhou, *signed(number, transaction="TX2"))
    assert response.get_data(as_text=True) == "OK refund"
    assert state(app, number)["notices"] == [("TX1", "applied"), ("TX2", "refund")]
    assert state(app, number)["contributions"] == 2


def run_together(targets) -> list:
    """Start every callable at once (a barrier), each in its own thread and app context."""
    barrier = threading.Barrier(len(targets))
    results: list = [None] * len(targets)

    def runner(index, target):
        try:
            barrier.wait()
            results[index] = target()
        except Exception as error:  # noqa: BLE001  (reported to the test)
            results[index] = error

    threads = [threading.Thread(target=runner, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def in_context(app, function):
    def call():
        with app.app_context():
            try:
                return function()
            finally:
                db.session.remove()

    return call


def test_twenty_concurrent_identical_notifications_pay_exactly_once(app, paying_order):
    number = paying_order()
    body, signature = signed(number)
    results = run_together(
        [in_context(app, lambda: notify(app, body, signature)) for _ in range(THREADS)]
    )
    assert sorted(map(str, results)) == ["applied"] + ["duplicate"] * (THREADS - 1), results
    assert state(app, number) == {
        "status": "paid",
        "refund_due": False,
        "paid_moves": 1,
        "contributions": 2,
        "notices": [("TX1", "applied")],
    }


def settle(app, number: str) -> tuple[bytes, str]:
    """The tester pays at the sandbox bank: its ledger (a table) records it; no notification."""
    with app.app_context():
        body, signature = app.extensions["shebao.bank"].settle("binzhou", "icbc", number, "paid")
        db.session.commit()
    return body, signature


@pytest.mark.parametrize("round_", range(3))
def test_a_notification_racing_a_void_ends_in_one_consistent_state(app, paying_order, round_):
    number = paying_order()
    body, signature = signed(number)

    results = run_together(
        [
            in_context(app, lambda: "voided" if void(app, number) else "too late"),
            in_context(app, lambda: notify(app, body, signature)),
        ]
    )
    assert not any(isinstance(r, Exception) for r in results), results
    after = state(app, number)
    if results[0] == "voided":
        assert results[1] == "refund"
        assert after == {
            "status": "voided",
            "refund_due": True,
            "paid_moves": 0,
            "contributions": 0,
            "notices": [("TX1", "refund")],
        }
    else:
        assert results == ["too late", "applied"]
        assert after == {
            "status": "paid",
            "refund_due": False,
            "paid_moves": 1,
            "contributions": 2,
            "notices": [("TX1", "applied")],
        }


@pytest.mark.parametrize("round_", range(3))
def test_a_notification_racing_the_status_query_pays_once(app, paying_order, round_):
    """The resident presses 支付成功 while the bank's notification arrives: both carry the
    same bank transaction, so one applies it and the other finds it applied."""
    number = paying_order()
    body, signature = settle(app, number)

    def check():
        city = binzhou_city(app)
        order = order_of(number)
        answer = services.ask_bank(city, order)  # outside the unit of work, as the view does
        with unit_of_work():
            return services.record_bank_answer(city, order, answer)

    results = run_together(
        [in_context(app, lambda: notify(app, body, signature)), in_context(app, check)]
    )
    assert results[0] in ("applied", "duplicate") and results[1] == "paid", results
    after = state(app, number)
    assert after["status"] == "paid" and after["paid_moves"] == 1, after
    assert after["contributions"] == 2 and [r for _t, r in after["notices"]] == ["applied"]


def test_two_expiry_runs_at_once_close_each_order_once(app, paying_order):
    """`shebao payments expire` from cron on two nodes: every stale order moves once."""
    from shebao.modules.payments.commands import expire_city

    paid, unpaid = paying_order(1), paying_order(2)
    settle(app, paid)  # never notified
    with app.app_context():
        db.session.execute(
            PaymentOrder.__table__.update().values(updated_at=utcnow() - timedelta(hours=2))
        )
        db.session.commit()
    runs = run_together([in_context(app, lambda: expire_city(binzhou_city(app)))] * 2)
    assert not any(isinstance(run, Exception) for run in runs), runs
    assert sum(run.expired for run in runs) == 1, runs
    after = state(app, paid)
    assert after["status"] == "paid" and after["paid_moves"] == 1 and after["contributions"] == 2
    assert [result for _transaction, result in after["notices"]] == ["applied"]
    with app.app_context():
        moves = db.session.scalars(
            select(PaymentTransition.to_status)
            .join(PaymentOrder, PaymentOrder.id == PaymentTransition.order_id)
            .where(PaymentOrder.number == unpaid)
            .order_by(PaymentTransition.id)  # PostgreSQL returns rows in no promised order
        ).all()
    assert moves == ["created", "confirmed", "paying", "expired"]


def test_two_tabs_ordering_overlapping_months_the_second_is_refused(app, make_resident):
    resident = make_resident("binzhou", 1, category="flexible")
    first = [
        Line("pension", date(2026, m, 1), Decimal("5000.00"), Decimal("1000.00")) for m in (8, 9)
    ]
    second = [
        Line("pension", date(2026, m, 1), Decimal("5000.00"), Decimal("1000.00")) for m in (9, 10)
    ]

    def order(lines):
        def create():
            person = db.session.get(Person, resident.id)
            try:
                with unit_of_work():
                    order = services.create_order(
                        binzhou_city(app), person, "flexible", "flexible", lines
                    )
            except services.PaymentRefused:
                return "refused"
            return order.number

        return create

    with app.test_request_context("/"):  # gettext needs a request for the refusal message
        pass
    results = run_together(
        [in_context_request(app, order(first)), in_context_request(app, order(second))]
    )
    assert sorted(r == "refused" for r in results) == [False, True], results
    with app.app_context():
        held = db.session.scalars(
            select(PaymentOrderLine.period).where(PaymentOrderLine.holds_period.is_(True))
        ).all()
    assert len(held) == 2


def in_context_request(app, function):
    def call():
        with app.test_request_context("/?lang=en"):
            try:
                return function()
            finally:
                db.session.remove()

    return call


def test_refunds_command_lists_money_kept_for_closed_orders(app, binzhou, paying_order):
    number = paying_order()
    with app.app_context():
        assert void(app, number)
    post_notice(binzhou, *signed(number, transaction="TXR"))
    result = app.test_cli_runner().invoke(args=["payments", "refunds", "--city", "binzhou"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"binzhou\t{number}\ticbc\tTXR\t1400.00\tvoided"


# --- a flood of notifications ---------------------------------------------------------------


def refusal_tallies(app) -> list[tuple]:
    """(client address, count) of every audit row of refused notifications."""
    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(
                select(AuditEvent.client_address, AuditEvent.count)
                .where(AuditEvent.event == "payment_notice_refused")
                .order_by(AuditEvent.id)
            )
        ]


def test_a_flood_of_forged_notifications_is_cut_and_counted_in_a_few_audit_rows(
    app, client_for, paying_order
):
    from shebao.modules.payments.views.order import NOTIFY_LIMIT

    number = paying_order()
    body, signature = signed(number)
    attacker = client_for("binzhou")
    attacker.environ_base["REMOTE_ADDR"] = "203.0.113.66"
    forged = sign("not-the-secret", body)
    answers = [post_notice(attacker, body, forged).status_code for _ in range(200)]
    allowed = int(NOTIFY_LIMIT.split("/")[0])
    assert answers == [400] * allowed + [429] * (200 - allowed)
    tallies = refusal_tallies(app)
    assert 1 <= len(tallies) <= 2, tallies  # one per minute (the flood may straddle two)
    assert {address for address, _count in tallies} == {"203.0.113.66"}
    assert sum(count for _address, count in tallies) == allowed

    # The bank, from its own address, is not held back by the flood.
    bank = client_for("binzhou")
    bank.environ_base["REMOTE_ADDR"] = "198.51.100.20"
    response = post_notice(bank, body, signature)
    assert response.status_code == 200 and response.get_data(as_text=True) == "OK applied"
    assert state(app, number)["status"] == "paid"


def test_simultaneous_refusals_from_one_address_add_up_in_one_row(app, paying_order):
    number = paying_order()
    body, _signature = signed(number)
    forged = sign("not-the-secret", body)

    def refused_notice():
        with app.test_request_context(
            "/payments/notify/icbc", environ_base={"REMOTE_ADDR": "203.0.113.9"}
        ):
            try:
                return notify(app, body, forged)
            finally:
                db.session.remove()

    results = run_together([refused_notice] * THREADS)
    assert results == ["refused"] * THREADS, results
    tallies = refusal_tallies(app)
    assert 1 <= len(tallies) <= 2, tallies
    assert sum(count for _address, count in tallies) == THREADS
