"""继续使用: the idle warning's button keeps a session open for another idle time.

``POST /account/session/extend`` (with the CSRF token) writes the session row's last-seen time
on the server, even within the minute in which an ordinary page would not; without the token,
logged out, after the session ended or with another city's cookie it is refused without a 500
and writes nothing. Logged-in pages carry the warning (hidden until its script shows it) with
the city's idle time; a visitor's pages do not.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from shebao.core import time as clock
from shebao.web.sessions import IDLE_WARNING_SECONDS
from tests.account_helpers import (
    fixture_query,  # noqa: F401 - a fixture
    fixture_say,  # noqa: F401 - a fixture
    text,
)
from tests.functional.test_sessions_end import (
    IDLE,
    cookie_of,
    csrf,
    is_logged_in,
    move_back,
    refusal_says,
    session_rows,
)

EXTEND = "/account/session/extend"
JSON = {"Accept": "application/json"}
PAGE = "/personal-info/basic"


@pytest.fixture
def me(binzhou, make_resident):
    resident = make_resident("binzhou")
    assert binzhou.login(resident.id_number, resident.password).status_code == 302
    binzhou.resident = resident
    return binzhou


def last_seen(query, person_id: int):
    [(_created, seen, _ended, _reason)] = session_rows(query, person_id)
    return seen


def test_extending_writes_last_seen_now_even_within_the_minute(me, query):
    move_back(query, me.resident.id, last_seen_at=timedelta(seconds=30))
    token = csrf(me, PAGE)  # an ordinary page within the minute does not write it
    before = last_seen(query, me.resident.id)

    response = me.post(EXTEND, data={"csrf_token": token}, headers=JSON)
    assert response.status_code == 200
    assert response.get_json() == {"extended": True, "idle_seconds": 30 * 60}
    after = last_seen(query, me.resident.id)
    assert after - before >= timedelta(seconds=30)
    assert clock.utcnow() - after < timedelta(seconds=30)


def test_an_extended_session_outlives_the_idle_time_it_would_have_ended_at(me, query, say):
    move_back(query, me.resident.id, last_seen_at=timedelta(minutes=29))
    token = csrf(me, PAGE)
    assert me.post(EXTEND, data={"csrf_token": token}, headers=JSON).status_code == 200
    move_back(query, me.resident.id, last_seen_at=timedelta(minutes=29))
    assert is_logged_in(me)  # 29 minutes after the extension, not 58 after the page
    move_back(query, me.resident.id, last_seen_at=timedelta(minutes=32))
    assert refusal_says(me, say("binzhou", IDLE, minutes=30))


def test_without_javascript_the_form_goes_back_to_the_page(me):
    token = csrf(me, PAGE)
    response = me.post(EXTEND, data={"csrf_token": token, "next": "/card/info?x=1"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/card/info?x=1"
    response = me.post(EXTEND, data={"csrf_token": token, "next": "//evil.example/x"})
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("token", [None, "forged"], ids=["missing", "forged"])
def test_without_the_csrf_token_nothing_is_extended(me, query, token):
    move_back(query, me.resident.id, last_seen_at=timedelta(seconds=30))
    me.get("/")  # within the minute: the page does not write last-seen
    before = last_seen(query, me.resident.id)
    data = {} if token is None else {"csrf_token": token}
    response = me.post(EXTEND, data=data, headers=JSON)
    assert response.status_code == 400
    assert last_seen(query, me.resident.id) == before


def test_a_visitor_is_refused_without_a_server_error(binzhou):
    token = csrf(binzhou, "/account/login")
    response = binzhou.post(EXTEND, data={"csrf_token": token}, headers=JSON)
    assert response.status_code == 401
    assert response.get_json() == {"extended": False, "login": "/account/login"}
    plain = binzhou.post(EXTEND, data={"csrf_token": token})
    assert plain.status_code == 303 and plain.headers["Location"] == "/account/login"


def test_an_ended_session_is_not_revived(me, query):
    token = csrf(me, PAGE)
    move_back(query, me.resident.id, last_seen_at=timedelta(minutes=32))
    response = me.post(EXTEND, data={"csrf_token": token}, headers=JSON)
    # The session's end empties the browser's session, its CSRF token with it: refused as a
    # bad request (the warning's script then says the session has ended).
    assert response.status_code == 400
    [(_created, _seen, ended, reason)] = session_rows(query, me.resident.id)
    assert ended is not None and reason == "idle"
    assert not is_logged_in(me)


def test_another_citys_cookie_extends_nothing_there(me, client_for):
    dezhou = client_for("dezhou")
    dezhou.set_cookie("shebao_session", cookie_of(me), domain="dezhou.localhost")
    token = csrf(dezhou, "/account/login")
    response = dezhou.post(EXTEND, data={"csrf_token": token}, headers=JSON)
    assert response.status_code == 401


def test_logged_in_pages_carry_the_warning_with_the_citys_idle_time(me, client_for):
    page = me.get(PAGE).get_data(as_text=True)
    bar = re.search(r"<section class=\"idle-warning\"[^>]*>", page)
    assert bar, "the warning is on the page"
    assert " hidden" in bar.group(0), "hidden until its script shows it"
    assert f'data-idle-seconds="{30 * 60}"' in bar.group(0)
    assert f'data-warn-seconds="{IDLE_WARNING_SECONDS}"' in bar.group(0)
    assert 'action="/account/session/extend"' in page and "idle-warning.js" in page
    english = text(me.get(PAGE + "?lang=en"))
    assert "Stay logged in" in english and "logged out in 2 minutes" in english
    chinese = text(me.get(PAGE + "?lang=zh_CN"))
    assert "继续使用" in chinese and "2 分钟后自动退出" in chinese

    visitor = client_for("binzhou").get("/account/login").get_data(as_text=True)
    assert "idle-warning" not in visitor
