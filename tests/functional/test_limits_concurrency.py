"""Limits that hold under concurrency and across workers: the login lockout and the SMS limits
(per phone, per account, per client address, per city and day).

The concurrent tests start real threads behind a barrier, each with its own test client (so its
own app context and database session), against the suite's database: SQLite, or PostgreSQL
when ``SHEBAO_TEST_DATABASE_URL`` is set, where requests really run side by side.
"""

from __future__ import annotations

import html
import threading
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from shebao.account.models import LoginThrottle, SmsCode
from shebao.account.sms_limits import SmsSendSlot, day_window
from shebao.audit import AuditEvent
from shebao.core.extensions import db, limiter
from shebao.core.time import utcnow
from shebao.people.idnumber import make_id_number
from tests.account_helpers import (
    field_errors,
    fixture_query,  # noqa: F401 - a fixture
    fixture_say,  # noqa: F401 - a fixture
    form_errors,
)
from tests.conftest import CSRF_INPUT, KNOWN_CAPTCHA

UNKNOWN_ID = make_id_number("371602", date(1975, 6, 15), 987)
SMS = "/account/register?method=sms"
FORGOT = "/account/forgot-password"
INFO = "/account/registration-info"
SEND = "免费获取手机验证码"
LOCKED = "Too many failed attempts. This account is locked until %(time)s. Please try again then."
WAIT = (
    "A message was sent to this number moments ago. Please wait %(seconds)s seconds before "
    "asking again."
)
ACCOUNT_LIMIT = (
    "The most messages allowed in one day have been sent for this account. "
    "Please try again tomorrow."
)
ADDRESS_LIMIT = (
    "Too many text messages have been asked for from your network. Please try again in an hour."
)
CITY_LIMIT = (
    "The portal cannot send more text messages today. Please try again tomorrow, or ask at a "
    "social insurance service hall."
)


# --- helpers ------------------------------------------------------------------------------


def without_tokens(response) -> str:
    """The page as a user reads it, without its (per-client) CSRF token."""
    return html.unescape(CSRF_INPUT.sub("", response.get_data(as_text=True)))


@pytest.fixture
def client_at(client_for):
    """A client of a city that comes from a given address (as ProxyFix would set it)."""

    def make(code: str, address: str = "127.0.0.1"):
        client = client_for(code)
        client.environ_base["REMOTE_ADDR"] = address
        return client

    return make


def prepared_post(client, path: str, data: dict, form_page: str | None = None):
    """Everything a browser does before pressing the button (the form's token, the captcha
    image); returns the press itself, to be run later."""
    client.get("/account/captcha.png")
    token = CSRF_INPUT.search(client.get(form_page or path).get_data(as_text=True)).group(1)
    return lambda: client.post(path, data={"csrf_token": token, **data})


def run_together(calls: list) -> list:
    """Run every call at once (a barrier), each in its own thread; exceptions are returned."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def runner(index: int, call) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001  (reported to the test)
            results[index] = error

    threads = [threading.Thread(target=runner, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def count_rows(query, model, *where) -> int:
    return query(lambda s: s.scalar(select(func.count()).select_from(model).where(*where)))


def audit_names(query) -> list[str]:
    return query(lambda s: list(s.scalars(select(AuditEvent.event).order_by(AuditEvent.id))))


def ask_code(client, resident, **changes):
    form = {"id_number": resident.id_number, "name": resident.name, "phone": resident.phone}
    return client.submit(SMS, {**form, "send_code": SEND, **changes})


def fill_city_day(app, code: str, sent: int) -> None:
    """As if the city's portal had sent ``sent`` messages today."""
    with app.app_context():
        db.session.add(
            SmsSendSlot(
                city=code, scope="city", subject=code, window_start=day_window(utcnow()), sent=sent
            )
        )
        db.session.commit()


# --- the login lockout --------------------------------------------------------------------


@pytest.mark.parametrize("who", ["a resident", "an unknown ID number"])
def test_twenty_simultaneous_wrong_passwords_count_exactly_up_to_the_lock(
    client_for, city_of, make_resident, say, query, who
):
    resident = make_resident("binzhou")
    id_number = resident.id_number if who == "a resident" else UNKNOWN_ID
    limit = city_of("binzhou").config.auth.lockout.max_failures
    presses = [
        prepared_post(
            client_for("binzhou"),
            "/account/login",
            {"id_number": id_number, "password": f"Wrong{n}pass", "captcha": KNOWN_CAPTCHA},
        )
        for n in range(20)
    ]
    pages = run_together(presses)
    assert all(getattr(page, "status_code", None) == 200 for page in pages), pages

    until = query(lambda s: s.scalar(select(LoginThrottle.locked_until)))
    moment = until.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")
    locked = say("binzhou", LOCKED, time=moment)
    wrong = say("binzhou", "The ID number, password or verification code is wrong.")
    answers = [form_errors(page) for page in pages]
    assert answers.count([wrong]) == limit - 1, answers
    assert answers.count([locked]) == 20 - (limit - 1), answers
    names = audit_names(query)
    assert names.count("login_failed") == limit and names.count("login_locked") == 1

    # The lock holds afterwards, even for the right password.
    later = client_for("binzhou").login(id_number, resident.password)
    assert form_errors(later) == [locked]


# --- SMS: per phone, under concurrency ----------------------------------------------------


@pytest.mark.parametrize("flow", ["registration code", "forgotten password"])
def test_ten_simultaneous_requests_for_one_phone_send_one_message(
    client_at, make_resident, sms_outbox, query, say, flow
):
    resident = make_resident("binzhou", account=flow == "forgotten password")
    if flow == "registration code":
        form = {"id_number": resident.id_number, "name": resident.name, "phone": resident.phone}
        data, path = {**form, "send_code": SEND}, SMS
    else:
        data, path = {"id_number": resident.id_number, "phone": resident.phone}, FORGOT
    presses = [
        prepared_post(client_at("binzhou", f"198.51.100.{n}"), path, data) for n in range(1, 11)
    ]
    pages = run_together(presses)
    assert all(getattr(page, "status_code", None) == 200 for page in pages), pages
    assert [m["phone"] for m in sms_outbox()] == [resident.phone]
    assert count_rows(query, SmsCode) == 1
    if flow == "registration code":
        wait = say("binzhou", WAIT, seconds=60)
        refused = [page for page in pages if field_errors(page).get("phone") == [wait]]
        assert len(refused) == 9


# --- SMS: per account ---------------------------------------------------------------------


def test_an_account_changing_its_phone_again_and_again_is_stopped_at_its_daily_limit(
    client_for, city_of, make_resident, sms_outbox, say
):
    limit = city_of("binzhou").config.auth.sms.account_daily_limit
    resident = make_resident("binzhou")
    me = client_for("binzhou")
    assert me.login(resident.id_number, resident.password).status_code == 302
    pages = [
        me.submit(INFO, {"phone": f"1391234{n:04d}", "email": "", "send_code": "1"})
        for n in range(30)
    ]
    assert len(sms_outbox()) == limit
    refusal = say("binzhou", ACCOUNT_LIMIT)
    assert all(refusal not in without_tokens(page) for page in pages[:limit])
    assert all(refusal in without_tokens(page) for page in pages[limit:])

    # Another account is not held back by this one.
    other = make_resident("binzhou", 2)
    them = client_for("binzhou")
    them.login(other.id_number, other.password)
    them.submit(INFO, {"phone": "13700000000", "email": "", "send_code": "1"})
    assert len(sms_outbox()) == limit + 1


# --- SMS: per client address --------------------------------------------------------------


def test_one_client_address_is_stopped_at_its_hourly_limit(
    client_at, city_of, make_resident, sms_outbox, say
):
    limit = city_of("binzhou").config.auth.sms.address_hourly_limit
    residents = [make_resident("binzhou", seq, account=False) for seq in range(1, limit + 3)]
    for resident in residents[:limit]:
        assert field_errors(ask_code(client_at("binzhou", "203.0.113.7"), resident)) == {}
        limiter.reset()  # the view's own request limit is another matter
    assert len(sms_outbox()) == limit
    page = ask_code(client_at("binzhou", "203.0.113.7"), residents[limit])
    assert form_errors(page) == [say("binzhou", ADDRESS_LIMIT)]
    assert len(sms_outbox()) == limit

    # Someone elsewhere is not held back.
    page = ask_code(client_at("binzhou", "203.0.113.8"), residents[limit + 1])
    assert field_errors(page) == {} and form_errors(page) == []
    assert len(sms_outbox()) == limit + 1


# --- SMS: per city and day ----------------------------------------------------------------


def test_the_city_stops_at_its_daily_limit_and_other_cities_go_on(
    app, client_for, city_of, make_resident, sms_outbox, say
):
    limit = city_of("binzhou").config.auth.sms.city_daily_limit
    fill_city_day(app, "binzhou", limit - 1)
    first, second = (make_resident("binzhou", seq, account=False) for seq in (1, 2))
    assert field_errors(ask_code(client_for("binzhou"), first)) == {}
    assert len(sms_outbox()) == 1
    page = ask_code(client_for("binzhou"), second)
    assert form_errors(page) == [say("binzhou", CITY_LIMIT)]
    assert len(sms_outbox()) == 1

    elsewhere = make_resident("linhu", 3, account=False)
    assert field_errors(ask_code(client_for("linhu"), elsewhere)) == {}
    assert len(sms_outbox()) == 2


def test_a_limit_reached_answers_the_same_whether_or_not_the_person_exists(
    app, client_for, make_resident, sms_outbox
):
    """With the city's messages used up for today: forgot password says the same thing for a
    right pair, a wrong pair and an unknown ID number; asking for a registration code says the
    same thing whether or not the person has an account."""
    fill_city_day(app, "binzhou", 10_000_000)
    resident = make_resident("binzhou", 1)
    pages = [
        client_for("binzhou").submit(FORGOT, {"id_number": id_number, "phone": phone})
        for id_number, phone in (
            (resident.id_number, resident.phone),
            (resident.id_number, "13912345678"),
            (UNKNOWN_ID, resident.phone),
        )
    ]
    assert len({without_tokens(page) for page in pages}) == 1

    unregistered = make_resident("binzhou", 2, account=False)
    pages = [ask_code(client_for("binzhou"), person) for person in (resident, unregistered)]
    assert form_errors(pages[0]) == form_errors(pages[1]) != []
    assert sms_outbox() == []
