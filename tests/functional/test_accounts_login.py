"""Logging in: ID number + password + image captcha, one neutral refusal, lockout, sessions.

Also the first login of a default-password city (Dezhou, 888888) and the separation of cities:
an account, or a session cookie, of one city means nothing on another city's host.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask_babel import gettext
from sqlalchemy import func, select, update
from werkzeug.security import generate_password_hash

from shebao.account.models import Account, CaptchaChallenge, LoginThrottle
from shebao.account.services.login import neutral_login_message
from shebao.audit import AuditEvent
from shebao.people.idnumber import make_id_number
from tests.account_helpers import (
    fixture_query,  # noqa: F401 - a fixture
    form_errors,
    text,
)
from tests.conftest import KNOWN_CAPTCHA, PASSWORD

NEW_PASSWORD = "Fresh2026word"
UNKNOWN_ID = make_id_number("371602", date(1975, 6, 15), 987)


# --- helpers ------------------------------------------------------------------------------


@pytest.fixture
def in_city(app):
    """A request context on a city's host, so messages come out as that city's pages show them."""

    @contextmanager
    def enter(code: str, lang: str | None = None):
        path = f"/?lang={lang}" if lang else "/"
        with app.test_request_context(path, headers={"Host": f"{code}.localhost"}):
            app.preprocess_request()
            yield

    return enter


@pytest.fixture
def say(in_city):
    def translate(code: str, msgid: str, **values) -> str:
        with in_city(code):
            return gettext(msgid, **values)

    return translate


@pytest.fixture
def neutral(in_city):
    def message(code: str) -> str:
        with in_city(code):
            return neutral_login_message()

    return message


def events(query, name: str | None = None) -> list[tuple]:
    stmt = select(
        AuditEvent.city,
        AuditEvent.event,
        AuditEvent.account_id,
        AuditEvent.person_id,
        AuditEvent.detail,
    ).order_by(AuditEvent.id)
    if name:
        stmt = stmt.where(AuditEvent.event == name)
    return query(lambda s: [tuple(row) for row in s.execute(stmt)])


def session_cookie(client, code: str) -> str:
    cookie = client.get_cookie("shebao_session", domain=f"{code}.localhost")
    assert cookie is not None
    return cookie.value


def city_session(client):
    """``session_transaction`` on the client's own host (the default would open ``localhost``'s)."""
    return client.session_transaction(headers={"Host": client.host})


def is_logged_in(client) -> bool:
    """True when a page that needs a login opens (rather than sending to the login page)."""
    page = client.get("/account/registration-info")
    return page.status_code == 200


# --- a good login ---------------------------------------------------------------------------


def test_right_id_password_and_captcha_log_in(binzhou, make_resident, query):
    resident = make_resident("binzhou")
    page = binzhou.login(resident.id_number, resident.password)
    assert page.status_code == 302 and page.headers["Location"] == "/"
    home = binzhou.get("/")
    assert resident.name in text(home)
    assert is_logged_in(binzhou)
    [login] = events(query, "login")
    assert login[0] == "binzhou" and login[2] is not None and login[3] == resident.id


def test_passwords_are_hashed_with_the_configured_work_factor_and_any_factor_verifies(
    app, binzhou, make_resident, query
):
    """SHEBAO_PASSWORD_SCRYPT_N sets the cost of new hashes; each hash records its own, so a
    password hashed under another setting still logs in."""
    resident = make_resident("binzhou")
    work_factor = app.config["SHEBAO_SETTINGS"].password_scrypt_n
    stored = query(lambda s: s.scalar(select(Account.password_hash)))
    assert stored.startswith(f"scrypt:{work_factor}:8:1$")
    older = generate_password_hash(resident.password, method=f"scrypt:{work_factor * 2}:8:1")
    query(lambda s: (s.execute(update(Account).values(password_hash=older)), s.commit()))
    assert binzhou.login(resident.id_number, resident.password).status_code == 302


@pytest.mark.parametrize("answer", ["test", "TEST", "TeSt", " tEsT "])
def test_captcha_is_case_insensitive(binzhou, make_resident, answer):
    assert KNOWN_CAPTCHA == "TEST"
    resident = make_resident("binzhou")
    assert binzhou.login(resident.id_number, resident.password, captcha=answer).status_code == 302


def test_login_goes_on_to_the_page_asked_for(binzhou, make_resident):
    resident = make_resident("binzhou")
    asked = binzhou.get("/card/info")
    assert asked.status_code == 302 and asked.headers["Location"].endswith(
        "/account/login?next=/card/info"
    )
    binzhou.get("/account/captcha.png")
    page = binzhou.submit(
        "/account/login?next=/card/info",
        {"id_number": resident.id_number, "password": resident.password, "captcha": "test"},
    )
    assert page.status_code == 302 and page.headers["Location"] == "/card/info"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example.com/",
        "https://evil.example.com/",
        "/\\evil.example.com",
        "/%09/evil.example.com",
        "/%0a/evil.example.com",
        "/%0d%0a/evil.example.com",
    ],
)
def test_login_never_goes_on_off_site(binzhou, make_resident, target):
    resident = make_resident("binzhou")
    binzhou.get("/account/captcha.png")
    page = binzhou.submit(
        f"/account/login?next={target}",
        {"id_number": resident.id_number, "password": resident.password, "captcha": "test"},
        form_page="/account/login",
    )
    assert page.status_code == 302 and page.headers["Location"] == "/"


def test_logged_in_user_asking_for_the_login_page_goes_home(binzhou, make_resident):
    resident = make_resident("binzhou")
    binzhou.login(resident.id_number, resident.password)
    page = binzhou.get("/account/login")
    assert page.status_code == 302 and page.headers["Location"] == "/"


# --- one neutral refusal --------------------------------------------------------------------


def test_wrong_id_wrong_password_and_wrong_captcha_get_one_neutral_message(
    client_for, make_resident, neutral, query
):
    resident = make_resident("binzhou", 1)
    no_account = make_resident("binzhou", 2, account=False)
    elsewhere = make_resident("dezhou", 3)
    bad_check_digit = resident.id_number[:-1] + ("1" if resident.id_number[-1] != "1" else "2")
    attempts = {
        "wrong password": (resident.id_number, "Wrong2026pass", "test"),
        "wrong captcha": (resident.id_number, resident.password, "ABCD"),
        "empty-ish captcha": (resident.id_number, resident.password, "T"),
        "unknown ID number": (UNKNOWN_ID, resident.password, "test"),
        "insured but no account": (no_account.id_number, PASSWORD, "test"),
        "ID number with a wrong check digit": (bad_check_digit, resident.password, "test"),
        "person of another city": (elsewhere.id_number, elsewhere.password, "test"),
    }
    shown = {}
    for case, (id_number, password, answer) in attempts.items():
        client = client_for("binzhou")
        page = client.login(id_number, password, captcha=answer)
        assert page.status_code == 200, case
        shown[case] = form_errors(page)
        assert id_number in text(page), f"{case}: the typed ID number is kept"
        assert password not in page.get_data(as_text=True), (
            f"{case}: the password is never sent back"
        )
        assert not is_logged_in(client), case
    assert set(map(tuple, shown.values())) == {(neutral("binzhou"),)}, shown
    # Refusals on the password are logged (a wrong captcha stops before the password is looked at).
    assert len(events(query, "login_failed")) == 5
    assert events(query, "login") == []


def test_login_for_a_person_of_another_city_is_refused_like_any_unknown_account(
    binzhou, dezhou, make_resident, neutral, query
):
    dezhou_resident = make_resident("dezhou", 4)  # an account with its own password in Dezhou
    dezhou_default = make_resident("dezhou", 5, account=False)  # would log in with 888888 in Dezhou
    binzhou_resident = make_resident("binzhou", 6)

    for id_number, password in (
        (dezhou_resident.id_number, dezhou_resident.password),
        (dezhou_default.id_number, "888888"),
    ):
        page = binzhou.login(id_number, password)
        assert page.status_code == 200 and form_errors(page) == [neutral("binzhou")]
    page = dezhou.login(binzhou_resident.id_number, binzhou_resident.password)
    assert page.status_code == 200 and form_errors(page) == [neutral("dezhou")]
    page = dezhou.login(binzhou_resident.id_number, "888888")
    assert page.status_code == 200 and form_errors(page) == [neutral("dezhou")]
    assert not is_logged_in(binzhou) and not is_logged_in(dezhou)
    # The failures are logged against no account of the host's city, and no Dezhou account was made.
    failures = events(query, "login_failed")
    assert [(city, account, person) for city, _e, account, person, _d in failures] == [
        ("binzhou", None, None),
        ("binzhou", None, None),
        ("dezhou", None, None),
        ("dezhou", None, None),
    ]
    assert (
        query(
            lambda s: s.scalar(
                select(func.count()).select_from(Account).where(Account.city == "dezhou")
            )
        )
        == 1
    )

    # Each still logs in at home.
    assert dezhou.login(dezhou_resident.id_number, dezhou_resident.password).status_code == 302
    assert binzhou.login(binzhou_resident.id_number, binzhou_resident.password).status_code == 302


# --- the captcha ---------------------------------------------------------------------------


def test_captcha_is_used_up_by_one_attempt(binzhou, make_resident, neutral):
    resident = make_resident("binzhou")
    binzhou.get("/account/captcha.png")
    first = binzhou.submit(
        "/account/login",
        {"id_number": resident.id_number, "password": "Wrong2026pass", "captcha": "test"},
    )
    assert form_errors(first) == [neutral("binzhou")]
    # The same answer again, without a new picture: refused even with the right password.
    again = binzhou.submit(
        "/account/login",
        {"id_number": resident.id_number, "password": resident.password, "captcha": "test"},
    )
    assert again.status_code == 200 and form_errors(again) == [neutral("binzhou")]
    assert not is_logged_in(binzhou)
    # A fresh picture works.
    assert binzhou.login(resident.id_number, resident.password).status_code == 302


def test_captcha_answer_replayed_with_a_copied_session_cookie_is_refused(
    client_for, make_resident, neutral, query
):
    resident = make_resident("binzhou")
    first, replay = client_for("binzhou"), client_for("binzhou")
    page = first.get("/account/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    first.get("/account/captcha.png")
    replay.set_cookie(
        "shebao_session", session_cookie(first, "binzhou"), domain="binzhou.localhost"
    )
    form = {
        "csrf_token": token,
        "id_number": resident.id_number,
        "password": resident.password,
        "captcha": "test",
    }

    assert first.post("/account/login", data=form).status_code == 302
    page = replay.post("/account/login", data=form)
    assert page.status_code == 200 and form_errors(page) == [neutral("binzhou")]
    assert not is_logged_in(replay)
    assert query(lambda s: s.scalars(select(CaptchaChallenge.used)).all()) == [True]


def test_captcha_expires_after_five_minutes(binzhou, make_resident, neutral, query):
    resident = make_resident("binzhou")
    before = datetime.now(UTC)
    binzhou.get("/account/captcha.png")
    expires = query(lambda s: s.scalars(select(CaptchaChallenge.expires_at)).one())
    assert timedelta(minutes=4, seconds=50) < expires - before <= timedelta(minutes=5, seconds=5)

    def expire(s):
        s.execute(
            update(CaptchaChallenge).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        s.commit()

    query(expire)
    page = binzhou.submit(
        "/account/login",
        {"id_number": resident.id_number, "password": resident.password, "captcha": "test"},
    )
    assert page.status_code == 200 and form_errors(page) == [neutral("binzhou")]
    assert not is_logged_in(binzhou)


def test_login_without_ever_drawing_a_captcha_is_refused(binzhou, make_resident, neutral):
    resident = make_resident("binzhou")
    page = binzhou.submit(
        "/account/login",
        {"id_number": resident.id_number, "password": resident.password, "captcha": "test"},
    )
    assert form_errors(page) == [neutral("binzhou")]


def test_captcha_picture_is_a_png_that_is_never_cached(binzhou):
    picture = binzhou.get("/account/captcha.png")
    assert picture.status_code == 200 and picture.mimetype == "image/png"
    assert picture.get_data()[:8] == b"\x89PNG\r\n\x1a\n"
    assert picture.headers["Cache-Control"] == "no-store"


# --- lockout -------------------------------------------------------------------------------


def _throttle(query, city: str, purpose: str = "login"):
    return query(
        lambda s: s.execute(
            select(LoginThrottle.failures, LoginThrottle.locked_until).where(
                LoginThrottle.city == city, LoginThrottle.purpose == purpose
            )
        ).one()
    )


def _unlock(query, city: str) -> None:
    def past(s):
        s.execute(
            update(LoginThrottle)
            .where(LoginThrottle.city == city)
            .values(locked_until=datetime.now(UTC) - timedelta(seconds=1))
        )
        s.commit()

    query(past)


def _local(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")


def test_five_failures_lock_the_account_for_15_minutes_and_the_page_says_until_when(
    binzhou, make_resident, neutral, say, query
):
    resident = make_resident("binzhou")
    for attempt in range(4):
        page = binzhou.login(resident.id_number, f"Wrong{attempt}pass")
        assert form_errors(page) == [neutral("binzhou")]
    started = datetime.now(UTC)
    fifth = binzhou.login(resident.id_number, "Wrong5pass")
    failures, until = _throttle(query, "binzhou")
    assert timedelta(minutes=14, seconds=55) < until - started <= timedelta(minutes=15, seconds=5)
    locked = say(
        "binzhou",
        "Too many failed attempts. This account is locked until %(time)s. Please try again then.",
        time=_local(until),
    )
    assert fifth.status_code == 200 and form_errors(fifth) == [locked]

    # Locked: even the right password is refused, with the same message.
    page = binzhou.login(resident.id_number, resident.password)
    assert form_errors(page) == [locked] and not is_logged_in(binzhou)

    assert [e[1] for e in events(query) if e[1].startswith("login")] == ["login_failed"] * 5 + [
        "login_locked"
    ]
    [lock_event] = events(query, "login_locked")
    assert lock_event[3] == resident.id and lock_event[2] is not None

    # 15 minutes later the account opens again.
    _unlock(query, "binzhou")
    assert binzhou.login(resident.id_number, resident.password).status_code == 302
    assert is_logged_in(binzhou)
    assert _throttle(query, "binzhou") == (0, None)


def test_failures_are_forgotten_after_a_good_login(binzhou, make_resident, neutral):
    resident = make_resident("binzhou")
    for _attempt in range(4):
        binzhou.login(resident.id_number, "Wrong2026pass")
    assert binzhou.login(resident.id_number, resident.password).status_code == 302
    binzhou.post("/account/logout", data={"csrf_token": _token(binzhou, "/account/logout")})
    for _attempt in range(4):
        assert form_errors(binzhou.login(resident.id_number, "Wrong2026pass")) == [
            neutral("binzhou")
        ]
    assert binzhou.login(resident.id_number, resident.password).status_code == 302


def _token(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="[\w-]*csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_linhu_locks_after_three_failures_for_its_own_30_minutes(
    linhu, make_resident, neutral, say, query
):
    resident = make_resident("linhu", password="Linhu2026pass!")
    for _attempt in range(2):
        assert form_errors(linhu.login(resident.id_number, "Wrong2026pass")) == [neutral("linhu")]
    started = datetime.now(UTC)
    third = linhu.login(resident.id_number, "Wrong2026pass")
    _failures, until = _throttle(query, "linhu")
    assert timedelta(minutes=29, seconds=55) < until - started <= timedelta(minutes=30, seconds=5)
    locked = say(
        "linhu",
        "Too many failed attempts. This account is locked until %(time)s. Please try again then.",
        time=_local(until),
    )
    assert form_errors(third) == [locked]
    assert form_errors(linhu.login(resident.id_number, resident.password)) == [locked]
    _unlock(query, "linhu")
    assert linhu.login(resident.id_number, resident.password).status_code == 302


def test_an_unknown_id_number_locks_just_like_a_real_account(binzhou, make_resident, say, query):
    """So the lockout does not tell which ID numbers have accounts either."""
    for _attempt in range(5):
        page = binzhou.login(UNKNOWN_ID, "Wrong2026pass")
    _failures, until = _throttle(query, "binzhou")
    assert form_errors(page) == [
        say(
            "binzhou",
            "Too many failed attempts. This account is locked until "
            "%(time)s. Please try again then.",
            time=_local(until),
        )
    ]
    assert len(events(query, "login_locked")) == 1


def test_lockout_in_one_city_does_not_lock_the_same_id_number_in_another(
    binzhou, dezhou, make_resident
):
    here = make_resident("binzhou", 7)
    there = make_resident("dezhou", 7)  # same ID number, insured in both cities
    assert here.id_number == there.id_number
    for _attempt in range(5):
        binzhou.login(here.id_number, "Wrong2026pass")
    assert dezhou.login(there.id_number, there.password).status_code == 302


# --- sessions ------------------------------------------------------------------------------


def test_session_is_renewed_at_login(binzhou, make_resident):
    resident = make_resident("binzhou")
    binzhou.get("/account/login")
    with city_session(binzhou) as s:
        s["planted"] = "by someone before the login"
        anonymous_csrf = s.get("csrf_token")
    anonymous_cookie = session_cookie(binzhou, "binzhou")
    assert binzhou.login(resident.id_number, resident.password).status_code == 302
    with city_session(binzhou) as s:
        assert "planted" not in s
        assert s.get("csrf_token") != anonymous_csrf
        assert s["city"] == "binzhou"
    assert session_cookie(binzhou, "binzhou") != anonymous_cookie


def test_idle_session_ends_after_30_minutes(binzhou, make_resident, say):
    resident = make_resident("binzhou")
    binzhou.login(resident.id_number, resident.password)
    with city_session(binzhou) as s:
        s["seen"] -= 29 * 60
    # 29 minutes: still logged in (and seen again).
    assert binzhou.get("/account/registration-info").status_code == 200

    with city_session(binzhou) as s:
        s["seen"] -= 31 * 60
    page = binzhou.get("/card/info")
    assert page.status_code == 302 and "/account/login" in page.headers["Location"]
    login_page = binzhou.get(page.headers["Location"])
    assert say(
        "binzhou",
        "You were logged out after %(minutes)s minutes without activity. Please log in again.",
        minutes=30,
    ) in text(login_page)
    assert not is_logged_in(binzhou)
    with city_session(binzhou) as s:
        assert "_user_id" not in s


def test_pages_with_personal_data_are_sent_with_no_store(binzhou, make_resident):
    resident = make_resident("binzhou")
    binzhou.login(resident.id_number, resident.password)
    for path in (
        "/",
        "/account/change-password",
        "/account/registration-info",
        "/account/exit",
    ):
        page = binzhou.get(path)
        assert page.status_code == 200, path
        assert page.headers.get("Cache-Control") == "no-store", path
        assert resident.name in text(page), path  # the pages do carry the person's name


def test_a_refused_login_showing_the_typed_id_number_is_not_cached(binzhou, make_resident):
    resident = make_resident("binzhou")
    page = binzhou.login(resident.id_number, "Wrong2026pass")
    assert resident.id_number in text(page)
    assert page.headers.get("Cache-Control") == "no-store"


def test_login_post_without_csrf_token_is_400(binzhou, make_resident):
    resident = make_resident("binzhou")
    binzhou.get("/account/captcha.png")
    page = binzhou.post(
        "/account/login",
        data={"id_number": resident.id_number, "password": resident.password, "captcha": "test"},
    )
    assert page.status_code == 400
    assert not is_logged_in(binzhou)


@pytest.mark.parametrize("field", ["id_number", "password", "captcha"])
def test_overlong_login_fields_get_a_clear_message_not_a_500(binzhou, make_resident, field):
    resident = make_resident("binzhou")
    data = {
        "id_number": resident.id_number,
        "password": resident.password,
        "captcha": "test",
        field: "1" * 10_000,
    }
    binzhou.get("/account/captcha.png")
    page = binzhou.submit("/account/login", data)
    assert page.status_code == 200
    assert 'class="field-error"' in page.get_data(as_text=True)
    assert not is_logged_in(binzhou)


def test_overlong_id_number_says_it_has_18_characters(binzhou, say):
    binzhou.get("/account/captcha.png")
    page = binzhou.submit(
        "/account/login", {"id_number": "3" * 10_000, "password": "x", "captcha": "test"}
    )
    assert page.status_code == 200
    assert say("binzhou", "The ID number has 18 characters.") in text(page)


# --- cities stay apart ---------------------------------------------------------------------


def test_binzhou_session_cookie_is_not_logged_in_on_dezhou(binzhou, dezhou, make_resident):
    binzhou_resident = make_resident("binzhou", 8)
    dezhou_resident = make_resident("dezhou", 8)  # same person number in both cities
    assert binzhou.login(binzhou_resident.id_number, binzhou_resident.password).status_code == 302
    assert is_logged_in(binzhou)

    dezhou.set_cookie(
        "shebao_session", session_cookie(binzhou, "binzhou"), domain="dezhou.localhost"
    )
    page = dezhou.get("/account/registration-info")
    assert page.status_code == 302 and "/account/login" in page.headers["Location"]
    home = dezhou.get("/")
    assert dezhou_resident.name not in text(home) and binzhou_resident.name not in text(home)
    assert "Cache-Control" not in home.headers or home.headers["Cache-Control"] != "no-store"
    # The Binzhou session itself is untouched.
    assert is_logged_in(binzhou)


def test_dezhou_session_cookie_is_not_logged_in_on_binzhou(binzhou, dezhou, make_resident):
    resident = make_resident("dezhou", 9)
    make_resident("binzhou", 9)
    assert dezhou.login(resident.id_number, resident.password).status_code == 302
    binzhou.set_cookie(
        "shebao_session", session_cookie(dezhou, "dezhou"), domain="binzhou.localhost"
    )
    assert not is_logged_in(binzhou)
    assert is_logged_in(dezhou)


# --- default passwords (Dezhou) ------------------------------------------------------------


def _accounts(query, city: str = "dezhou") -> list[tuple]:
    return query(
        lambda s: [
            tuple(r)
            for r in s.execute(
                select(
                    Account.person_id,
                    Account.origin,
                    Account.password_hash,
                    Account.must_change_password,
                ).where(Account.city == city)
            )
        ]
    )


def test_no_account_rows_exist_before_a_first_login_with_the_default_password(
    dezhou, make_resident, neutral, query
):
    resident = make_resident("dezhou", account=False)
    assert _accounts(query) == []
    page = dezhou.login(resident.id_number, "888889")
    assert form_errors(page) == [neutral("dezhou")]
    assert _accounts(query) == []  # a failed attempt makes none either

    page = dezhou.login(resident.id_number, "888888")
    assert page.status_code == 302 and page.headers["Location"] == "/account/change-password"
    assert _accounts(query) == [(resident.id, "default", None, True)]
    assert [e[2] is not None for e in events(query, "login")] == [True]


def test_default_password_login_page_explains_the_initial_password(dezhou, binzhou, say):
    hint = say(
        "dezhou",
        "Your user name is your ID number. First time here? Log in with the initial password, "
        "then set your own.",
    )
    assert hint in text(dezhou.get("/account/login"))
    assert say(
        "binzhou",
        "Your user name is your ID number. First time here? Log in with the initial "
        "password, then set your own.",
    ) not in text(binzhou.get("/account/login"))


def test_nothing_but_the_password_change_opens_until_it_is_done(dezhou, make_resident, say):
    resident = make_resident("dezhou", account=False)
    dezhou.login(resident.id_number, "888888")
    page = dezhou.get("/account/change-password")
    assert page.status_code == 200
    assert say(
        "dezhou",
        "You are using the initial or a reset password. Set your own password to continue.",
    ) in text(page)
    for path in (
        "/",
        "/card/info",
        "/personal-info/basic",
        "/account/registration-info",
        "/account/security-questions",
        "/account/login",
        "/todo/list",
    ):
        blocked = dezhou.get(path)
        assert (
            blocked.status_code == 302 and blocked.headers["Location"] == "/account/change-password"
        ), path
    token = _token(dezhou, "/account/change-password")
    blocked = dezhou.post(
        "/account/registration-info", data={"csrf_token": token, "phone": "13900000000"}
    )
    assert blocked.status_code == 302 and blocked.headers["Location"] == "/account/change-password"
    # Logging out stays possible.
    assert dezhou.get("/account/exit").status_code == 200
    assert dezhou.post("/account/logout", data={"csrf_token": token}).status_code == 302
    assert dezhou.get("/").status_code == 200


def test_default_password_is_never_accepted_as_the_new_one(dezhou, make_resident, query):
    resident = make_resident("dezhou", account=False)
    dezhou.login(resident.id_number, "888888")
    page = dezhou.submit(
        "/account/change-password",
        {"old_password": "888888", "new_password": "888888", "confirm": "888888"},
    )
    assert page.status_code == 200
    assert 'class="field-error"' in page.get_data(as_text=True)
    assert _accounts(query) == [(resident.id, "default", None, True)]
    assert dezhou.get("/").headers["Location"] == "/account/change-password"
    assert [e for e in events(query) if e[1] == "password_changed"] == []


def test_after_the_change_the_default_password_no_longer_works(
    client_for, make_resident, neutral, query, say
):
    resident = make_resident("dezhou", account=False)
    first = client_for("dezhou")
    first.login(resident.id_number, "888888")
    page = first.submit(
        "/account/change-password",
        {"old_password": "888888", "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert page.status_code == 302 and page.headers["Location"] == "/"
    assert first.get("/").status_code == 200
    [(person_id, origin, password_hash, must_change)] = _accounts(query)
    assert (person_id, origin, must_change) == (resident.id, "default", False)
    assert password_hash and NEW_PASSWORD not in password_hash and "888888" not in password_hash

    again = client_for("dezhou")
    assert form_errors(again.login(resident.id_number, "888888")) == [neutral("dezhou")]
    page = again.login(resident.id_number, NEW_PASSWORD)
    assert page.status_code == 302 and page.headers["Location"] == "/"
    assert again.get("/account/registration-info").status_code == 200


def test_forced_change_comes_back_at_every_login_until_it_is_done(client_for, make_resident, query):
    resident = make_resident("dezhou", account=False)
    for _time in range(2):
        client = client_for("dezhou")
        page = client.login(resident.id_number, "888888")
        assert page.headers["Location"] == "/account/change-password"
        assert client.get("/card/info").headers["Location"] == "/account/change-password"
    assert len(_accounts(query)) == 1


def test_default_password_city_does_not_offer_registration(dezhou, say):
    page = dezhou.get("/account/register")
    assert page.status_code == 404
    assert say("dezhou", "Not offered") in text(page)
