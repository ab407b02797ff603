"""Background jobs on a real Redis (database 11) and a real RQ worker in burst mode; inline
jobs without Redis; SMS dead letters; the sandbox bank shared by app instances, notifying
over real HTTP.

The queue's tests skip, saying why, when Redis is not reachable at ``SHEBAO_TEST_REDIS_URL``
(default ``redis://127.0.0.1:6379/11``); they flush that database before and after.
"""

from __future__ import annotations

import logging
import os
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select

from shebao import create_app
from shebao.account.models import SmsCode
from shebao.commands import scheduler_tick
from shebao.core import jobs
from shebao.core import time as clock
from shebao.core.extensions import db
from shebao.integrations.bank.notify import connect_to, deliver_notification
from shebao.integrations.bank.sandbox_ledger import SandboxPayment
from shebao.integrations.sms import send_sms
from shebao.integrations.sms.dead_letters import SmsDeadLetter
from shebao.modules.contributions.models import Contribution
from shebao.modules.payments.models import BankNotification, PaymentOrder
from tests.conftest import CityClient
from tests.functional.test_payments import (
    CSRF,
    TODAY,
    logged_in,
    number_of,
    order_path_of,
    order_row,
    pay_at_sandbox,
    post_step,
    start_flexible,
    text,
)

REDIS_URL = os.environ.get("SHEBAO_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(clock, "local_today", lambda: TODAY)


@pytest.fixture(scope="module")
def redis_connection():
    from redis import Redis
    from redis.exceptions import RedisError

    connection = Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        connection.ping()
    except RedisError as error:
        pytest.skip(f"Redis is not reachable at {REDIS_URL} ({error}): the queue is not tested")
    connection.flushdb()
    yield connection
    connection.flushdb()
    connection.close()


class Gateway(BaseHTTPRequestHandler):
    """An SMS gateway over HTTP answering ``status`` (503: an outage) and counting posts."""

    status = 503
    posts: list[bytes] = []

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        type(self).posts.append(self.rfile.read(length))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    Gateway.status, Gateway.posts = 503, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Gateway, f"http://127.0.0.1:{server.server_port}/send"
    server.shutdown()
    server.server_close()


def another_app(settings, **changes):
    """A second app instance on the same database: its own memory, the same tables."""
    app = create_app(settings.model_copy(update=changes), {"TESTING": True})
    app.config[jobs.RETRY_AT_ONCE] = True  # burst workers do not wait for backoff
    app.test_client_class = CityClient
    return app


def client_of(app, city: str) -> CityClient:
    client = app.test_client()
    client.host = f"{city}.localhost"
    return client


def work_off(app) -> None:
    """Run every queued job, in a forked work horse per job, then stop (burst)."""
    jobs.make_worker(app).work(burst=True)


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


# --- the queue --------------------------------------------------------------------------------


def test_a_queued_sms_waits_for_the_worker_then_is_delivered(
    app, settings, redis_connection, caplog
):
    caplog.set_level(logging.DEBUG)
    queued = another_app(settings, redis_url=REDIS_URL)
    outbox = queued.extensions["shebao.sms"]
    with queued.app_context():
        assert send_sms("binzhou", "13800000001", "hello from the queue") is True
    assert outbox.messages() == []  # nothing sent in the caller's process
    assert jobs.jobs(queued).queue().count == 1

    work_off(queued)

    assert [(m["city"], m["phone"], m["text"]) for m in outbox.messages()] == [
        ("binzhou", "13800000001", "hello from the queue")
    ]
    assert jobs.jobs(queued).queue().count == 0
    assert count(app, SmsDeadLetter) == 0
    # The worker logged the job by its function's name, never with the phone or the text.
    assert "deliver_sms" in caplog.text
    assert "13800000001" not in caplog.text and "hello from the queue" not in caplog.text
    assert redis_connection.keys("rq:job:*") == []  # nor kept in Redis once delivered


def test_a_failing_gateway_is_retried_then_the_text_is_kept_as_a_dead_letter(
    app, settings, redis_connection, gateway
):
    handler, url = gateway
    queued = another_app(
        settings, redis_url=REDIS_URL, sms_backend="http", sms_http_url=url, sms_http_token="t"
    )
    valid_until = datetime.now(UTC) + timedelta(minutes=5)
    with queued.app_context():
        assert send_sms("dezhou", "13900000002", "[Dezhou] code 123456", valid_until)

    work_off(queued)

    from shebao.integrations.sms.sending import RETRY_SECONDS

    assert len(handler.posts) == len(RETRY_SECONDS) + 1  # the first try and every retry
    with app.app_context():
        letter = db.session.scalars(select(SmsDeadLetter)).one()
        assert (letter.city, letter.phone, letter.text) == (
            "dezhou",
            "13900000002",
            "[Dezhou] code 123456",
        )
        assert letter.attempts == len(RETRY_SECONDS) + 1 and "503" in letter.error
        assert letter.valid_until == valid_until.replace(microsecond=letter.valid_until.microsecond)
        assert letter.resent_at is None

    # The gateway is back: an operator resends it, once, however often the command runs.
    handler.status = 200
    handler.posts = []
    runner = queued.test_cli_runner()
    result = runner.invoke(args=["sms", "resend"])
    assert result.exit_code == 0 and "1 text(s)" in result.output, result.output
    assert "0 text(s)" in runner.invoke(args=["sms", "resend"]).output
    work_off(queued)
    assert len(handler.posts) == 1 and "123456" in handler.posts[0].decode()
    with app.app_context():
        assert db.session.scalars(select(SmsDeadLetter)).one().resent_at is not None


def test_the_scheduler_hands_each_periodic_job_once_per_interval_across_nodes(
    app, settings, redis_connection
):
    node_a = another_app(settings, redis_url=REDIS_URL)
    node_b = another_app(settings, redis_url=REDIS_URL)
    handed = scheduler_tick(node_a, 60)
    assert "sms.purge_dead_letters" in handed
    assert "payments.expire_stale_orders.binzhou" in handed
    assert "payments.expire_stale_orders.dezhou" in handed
    assert scheduler_tick(node_b, 60) == []  # the other node's scheduler, same minute
    assert jobs.jobs(node_a).queue().count == len(handed)
    work_off(node_a)
    assert jobs.jobs(node_a).queue().count == 0
    redis_connection.flushdb()


def test_the_worker_command_refuses_to_start_without_redis(app):
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code != 0
    assert "SHEBAO_REDIS_URL is not set" in result.output


# --- inline, without Redis --------------------------------------------------------------------


def test_inline_jobs_run_at_once_without_redis(app, sms_outbox):
    assert jobs.jobs(app).inline
    with app.app_context():
        assert send_sms("binzhou", "13800000003", "inline") is True
    assert [m["text"] for m in sms_outbox()] == ["inline"]


def test_a_gateway_outage_inline_tells_the_resident_and_keeps_the_code(
    app, settings, make_resident, gateway
):
    handler, url = gateway
    inline = another_app(settings, sms_backend="http", sms_http_url=url, sms_http_token="t")
    person = make_resident("binzhou", 7)
    client = client_of(inline, "binzhou")
    client.login(person.id_number, person.password)
    response = client.submit(
        "/account/registration-info",
        {"phone": "13700000007", "email": "", "code": "", "send_code": "1"},
        follow_redirects=True,
    )
    assert response.status_code == 200  # was a 500: SmsError escaped the view
    page = text(response)
    assert "短信暂时无法发送，请几分钟后再试" in page  # in the resident's language
    assert "验证码已发送" not in page
    assert len(handler.posts) == 1  # inline: one try, no retry in the request
    with app.app_context():
        letter = db.session.scalars(select(SmsDeadLetter)).one()
        assert letter.phone == "13700000007" and letter.city == "binzhou"
        code_row = db.session.scalars(select(SmsCode)).one()
        assert code_row.expires_at == letter.valid_until  # worth resending while the code lives
        assert letter.attempts == 1


def test_expired_dead_letters_lose_their_text(app):
    with app.app_context():
        now = datetime.now(UTC)
        for valid_until, body in (
            (now - timedelta(minutes=1), "old"),
            (now + timedelta(hours=1), "live"),
        ):
            db.session.add(
                SmsDeadLetter(
                    city="binzhou",
                    phone="13800000009",
                    text=body,
                    error="503",
                    attempts=5,
                    created_at=now,
                    valid_until=valid_until,
                )
            )
        db.session.commit()
        from shebao.integrations.sms.sending import purge_dead_letters

        assert purge_dead_letters() == 1
        texts = sorted(db.session.scalars(select(SmsDeadLetter.text)))
    assert texts == ["", "live"]


# --- the sandbox bank, shared by instances -----------------------------------------------------


def test_a_payment_opened_on_one_instance_is_paid_through_another_over_http(
    app, binzhou, make_resident
):
    person = make_resident("binzhou", 11, category="flexible")
    logged_in(binzhou, person)
    order_path = order_path_of(start_flexible(binzhou, start="2026-09", end="2026-09"))
    post_step(binzhou, order_path, "confirm")
    bank_page = post_step(binzhou, order_path, "pay", {"bank": "icbc"}).headers["Location"]

    # Another instance (another worker or node): its own memory, the same database.
    other = another_app(app.config["SHEBAO_SETTINGS"])
    tester = client_of(other, "binzhou")
    page = tester.get(bank_page + "?lang=en")
    assert page.status_code == 200  # was 404: the payment lived in the first process only
    token = CSRF.search(text(page)).group(1)
    back = tester.post(bank_page, data={"csrf_token": token, "action": "paid"})
    assert back.status_code == 302 and back.headers["Location"] == order_path

    # The notification went over HTTP to the notify server (the first instance).
    order, _ = order_row(app, number_of(order_path))
    assert order.status == "paid"
    paid_months = count(app, Contribution, Contribution.person_id == person.id)
    assert paid_months > 0
    with app.app_context():
        row = db.session.scalars(select(SandboxPayment)).one()
        assert (row.city, row.bank, row.outcome) == ("binzhou", "icbc", "paid")
        # The bank posts it again (a retry after a lost answer): applied once only.
        body, signature = other.extensions["shebao.bank"].settle(
            "binzhou", "icbc", row.order_number, "paid"
        )
        db.session.commit()
        url = "http://binzhou.localhost" + row.notify_path
    with other.app_context():
        assert deliver_notification(url, body.decode(), signature) == 200
        assert deliver_notification(url, body.decode(), signature) == 200
    assert count(app, BankNotification) == 1
    assert count(app, Contribution, Contribution.person_id == person.id) == paid_months
    assert order_row(app, number_of(order_path))[0].status == "paid"


def test_a_forged_notification_is_refused_and_not_tried_again(app):
    with app.app_context():
        status = deliver_notification(
            "http://binzhou.localhost/payments/notify/icbc", '{"forged": true}', "0" * 64
        )
    assert status == 400
    assert count(app, BankNotification) == 0


def test_the_queued_notification_is_delivered_by_the_worker_and_expiry_sees_the_ledger(
    app, binzhou, make_resident, redis_connection
):
    person = make_resident("binzhou", 12, category="flexible")
    logged_in(binzhou, person)
    queued_path = order_path_of(start_flexible(binzhou, start="2026-09", end="2026-09"))
    post_step(binzhou, queued_path, "confirm")
    silent_path = order_path_of(start_flexible(binzhou, start="2026-10", end="2026-10"))
    post_step(binzhou, silent_path, "confirm")
    pay_at_sandbox(binzhou, silent_path, action="paid_silently")

    queued = another_app(app.config["SHEBAO_SETTINGS"], redis_url=REDIS_URL)
    tester = client_of(queued, "binzhou")
    bank_page = post_step(binzhou, queued_path, "pay", {"bank": "icbc"}).headers["Location"]
    token = CSRF.search(text(tester.get(bank_page))).group(1)
    assert tester.post(bank_page, data={"csrf_token": token, "action": "paid"}).status_code == 302
    assert order_row(app, number_of(queued_path))[0].status == "paying"  # queued, not yet sent
    assert jobs.jobs(queued).queue().count == 1
    work_off(queued)
    assert order_row(app, number_of(queued_path))[0].status == "paid"

    # The order paid without a notification: the periodic expiry job, on the queue, asks the
    # sandbox bank (its ledger in the database) and takes its word.
    with app.app_context():
        db.session.execute(
            PaymentOrder.__table__.update()
            .where(PaymentOrder.number == number_of(silent_path))
            .values(updated_at=datetime.now(UTC) - timedelta(hours=2))
        )
        db.session.commit()
    assert "payments.expire_stale_orders.binzhou" in scheduler_tick(queued, 60)
    work_off(queued)
    assert order_row(app, number_of(silent_path))[0].status == "paid"
    assert count(app, BankNotification) == 2
    redis_connection.flushdb()


@pytest.mark.parametrize(
    "url, address, expected",
    [
        ("http://binzhou.localhost:5000/payments/notify/icbc", "", ("http", "127.0.0.1", 5000)),
        (
            "https://binzhou.shebao.example.gov.cn/payments/notify/icbc",
            "",
            ("https", "binzhou.shebao.example.gov.cn", 443),
        ),
        (
            "https://binzhou.shebao.example.gov.cn/payments/notify/icbc",
            "127.0.0.1:8443",
            ("https", "127.0.0.1", 8443),
        ),
        (
            "https://binzhou.shebao.example.gov.cn/payments/notify/icbc",
            "http://127.0.0.1:8000",
            ("http", "127.0.0.1", 8000),
        ),
        ("http://binzhou.localhost/payments/notify/icbc", "[::1]:80", ("http", "::1", 80)),
    ],
)
def test_where_the_sandbox_bank_connects(url, address, expected):
    assert connect_to(url, address) == expected


def test_the_scheduler_command_without_redis_runs_the_expiry_itself(app, binzhou, make_resident):
    person = make_resident("binzhou", 13, category="flexible")
    logged_in(binzhou, person)
    stale = order_path_of(start_flexible(binzhou, start="2026-09", end="2026-09"))
    with app.app_context():
        db.session.execute(
            PaymentOrder.__table__.update()
            .where(PaymentOrder.number == number_of(stale))
            .values(updated_at=datetime.now(UTC) - timedelta(hours=2))
        )
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["scheduler", "--once"])
    assert result.exit_code == 0, result.output
    assert "periodic job(s) run inline (no SHEBAO_REDIS_URL)" in result.output
    assert order_row(app, number_of(stale))[0].status == "expired"
