"""Sessions that really end: on the server, at once, on every node.

A session cookie copied before 退出当前账号 or 退出 is not logged in afterwards, here or in
another app process sharing the database; a password change or an administrator's action ends
every session of the account; a session ends after the city's idle time (checked from the
row on the server) and after its absolute lifetime, and the resident is told why.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from datetime import timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import select

from shebao.account.models import Account, AccountSession
from shebao.account.sessions import end_sessions
from shebao.audit import AuditEvent
from shebao.core import time as clock
from shebao.core.extensions import db
from shebao.core.settings import PROJECT_ROOT
from shebao.core.transactions import unit_of_work
from shebao.tenancy.schema import Auth
from tests.account_helpers import (
    fixture_query,  # noqa: F401 - a fixture
    fixture_say,  # noqa: F401 - a fixture
    text,
)

PAGE = "/personal-info/basic"
NEW_PASSWORD = "Fresh2026word"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
COOKIE = "shebao_session"
ENDED = "Your session has ended. Please log in again."
PASSWORD_CHANGED = "Your session has ended (the password was changed). Please log in again."
IDLE = "You were logged out after %(minutes)s minutes without activity. Please log in again."
ABSOLUTE = "You were logged out because a login lasts at most %(hours)s hours. Please log in again."


# --- helpers ------------------------------------------------------------------------------


def csrf(client, path: str) -> str:
    return CSRF.search(client.get(path).get_data(as_text=True)).group(1)


def cookie_of(client) -> str:
    return client.get_cookie(COOKIE, domain=client.host).value


def replay(client, cookie: str) -> None:
    client.set_cookie(COOKIE, cookie, domain=client.host)


def is_logged_in(client) -> bool:
    return client.get(PAGE).status_code == 200


def sent_to_login(response) -> bool:
    return response.status_code == 302 and "/account/login" in response.headers["Location"]


def refusal_says(client, message: str) -> bool:
    """The next page needing a login sends to the login page, and that page says ``message``."""
    page = client.get(PAGE)
    assert sent_to_login(page), page.status_code
    return message in text(client.get(page.headers["Location"]))


def session_rows(query, person_id: int) -> list[tuple]:
    """(created_at, last_seen_at, ended_at, end_reason) of the person's sessions, oldest first."""
    return query(
        lambda s: [
            tuple(row)
            for row in s.execute(
                select(
                    AccountSession.created_at,
                    AccountSession.last_seen_at,
                    AccountSession.ended_at,
                    AccountSession.end_reason,
                )
                .join(Account, Account.id == AccountSession.account_id)
                .where(Account.person_id == person_id)
                .order_by(AccountSession.id)
            )
        ]
    )


def move_back(query, person_id: int, **columns: timedelta) -> None:
    """Move the stored timestamps of the person's open sessions back (``created_at=…``)."""

    def change(s):
        for row in s.scalars(
            select(AccountSession)
            .join(Account, Account.id == AccountSession.account_id)
            .where(Account.person_id == person_id, AccountSession.ended_at.is_(None))
        ):
            for column, delta in columns.items():
                setattr(row, column, getattr(row, column) - delta)
        s.commit()

    query(change)


@pytest.fixture
def me(binzhou, make_resident):
    resident = make_resident("binzhou")
    assert binzhou.login(resident.id_number, resident.password).status_code == 302
    assert is_logged_in(binzhou)
    binzhou.resident = resident
    return binzhou


# --- logging out ends the session on the server -------------------------------------------


@pytest.mark.parametrize("how", ["logout", "exit"])
def test_a_cookie_copied_before_logging_out_is_not_logged_in_afterwards(me, client_for, query, how):
    copied = cookie_of(me)
    page = me.post(f"/account/{how}", data={"csrf_token": csrf(me, f"/account/{how}")})
    assert page.status_code == 302 and page.headers["Location"] == "/account/login"

    thief = client_for("binzhou")
    replay(thief, copied)
    assert sent_to_login(thief.get(PAGE))
    assert not is_logged_in(thief)
    assert [row[3] for row in session_rows(query, me.resident.id)] == [how]
    logouts = query(
        lambda s: s.scalars(select(AuditEvent.detail).where(AuditEvent.event == "logout")).all()
    )
    assert logouts == [{"how": how}]


def test_a_replayed_cookie_after_logout_is_told_its_session_has_ended(me, client_for, say):
    copied = cookie_of(me)
    me.post("/account/logout", data={"csrf_token": csrf(me, "/account/logout")})
    thief = client_for("binzhou")
    replay(thief, copied)
    assert refusal_says(thief, say("binzhou", ENDED))


def test_the_session_id_is_random_and_only_its_digest_is_stored(me, client_for, make_resident):
    other = client_for("binzhou")
    resident = make_resident("binzhou", 2)
    other.login(resident.id_number, resident.password)
    ids = []
    for client in (me, other):
        with client.session_transaction(headers={"Host": client.host}) as s:
            ids.append(s["sid"])
    assert ids[0] != ids[1] and all(len(i) >= 43 for i in ids)  # 32 random bytes, base64
    with me.application.app_context():
        stored = db.session.scalars(select(AccountSession.token_digest)).all()
    assert not set(ids) & set(stored) and all(len(d) == 64 for d in stored)


# --- a password change, an administrator's action -----------------------------------------


def test_a_password_change_ends_every_other_session(me, client_for, query, say):
    other = client_for("binzhou")
    other.login(me.resident.id_number, me.resident.password)
    copied = cookie_of(other)
    page = me.submit(
        "/account/change-password",
        {
            "old_password": me.resident.password,
            "new_password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert page.status_code == 302
    assert is_logged_in(me)  # a fresh session for the browser that changed it
    assert refusal_says(other, say("binzhou", PASSWORD_CHANGED))
    thief = client_for("binzhou")
    replay(thief, copied)
    assert not is_logged_in(thief)
    reasons = [row[3] for row in session_rows(query, me.resident.id)]
    assert reasons == ["renewed", "password_changed", None]


def test_an_administrator_ends_every_session_of_an_account_at_once(
    me, client_for, make_resident, app, query, say
):
    second = client_for("binzhou")
    second.login(me.resident.id_number, me.resident.password)
    bystander = client_for("binzhou")
    someone = make_resident("binzhou", 2)
    bystander.login(someone.id_number, someone.password)

    city = app.extensions["shebao.cities"].get("binzhou")
    with app.app_context():  # as a staff console or a command would, outside a request
        account = db.session.scalar(select(Account).where(Account.person_id == me.resident.id))
        with unit_of_work():
            assert end_sessions(city, account, "admin") == 2

    assert refusal_says(me, say("binzhou", ENDED))
    assert not is_logged_in(second)
    assert is_logged_in(bystander)
    assert [row[3] for row in session_rows(query, me.resident.id)] == ["admin", "admin"]
    ended = query(
        lambda s: s.scalars(
            select(AuditEvent.detail).where(AuditEvent.event == "sessions_ended")
        ).all()
    )
    assert ended == [{"reason": "admin", "count": 2}]


# --- lifetimes -----------------------------------------------------------------------------


def test_the_session_ends_after_its_absolute_lifetime_and_says_why(me, query, say):
    move_back(query, me.resident.id, created_at=timedelta(hours=7, minutes=58))
    assert is_logged_in(me)  # busy all along: neither idle nor too old yet

    move_back(query, me.resident.id, created_at=timedelta(minutes=3))
    assert refusal_says(me, say("binzhou", ABSOLUTE, hours=8))
    assert not is_logged_in(me)
    assert [row[3] for row in session_rows(query, me.resident.id)] == ["absolute"]


def test_idle_expiry_is_checked_from_the_row_on_the_server(me, query, say):
    # The browser's own cookie says it was just here; the server's row says 32 minutes ago
    # (the row is written at most once a minute, so it may lag by one).
    move_back(query, me.resident.id, last_seen_at=timedelta(minutes=30))
    assert is_logged_in(me)
    move_back(query, me.resident.id, last_seen_at=timedelta(minutes=32))
    assert refusal_says(me, say("binzhou", IDLE, minutes=30))
    assert [row[3] for row in session_rows(query, me.resident.id)] == ["idle"]


def test_idle_expiry_by_the_clock_still_works(me, query, monkeypatch, say):
    start = clock.utcnow()
    monkeypatch.setattr(clock, "utcnow", lambda: start + timedelta(minutes=29))
    assert is_logged_in(me)
    monkeypatch.setattr(clock, "utcnow", lambda: start + timedelta(minutes=29 + 31))
    assert refusal_says(me, say("binzhou", IDLE, minutes=30))
    assert [row[3] for row in session_rows(query, me.resident.id)] == ["idle"]


def test_last_seen_is_written_at_most_once_a_minute(me, query, monkeypatch):
    [(_created, logged_in_at, _ended, _reason)] = session_rows(query, me.resident.id)

    def at(seconds: int):
        now = logged_in_at + timedelta(seconds=seconds)
        monkeypatch.setattr(clock, "utcnow", lambda: now)
        for _request in range(3):
            assert is_logged_in(me)
        [(_created, seen, _ended, _reason)] = session_rows(query, me.resident.id)
        return seen

    assert at(30) == logged_in_at
    assert at(59) == logged_in_at
    assert at(61) == logged_in_at + timedelta(seconds=61)
    assert at(100) == logged_in_at + timedelta(seconds=61)
    assert at(125) == logged_in_at + timedelta(seconds=125)


def test_the_absolute_lifetime_is_city_yaml_and_never_shorter_than_the_idle_time(city_of):
    auth = city_of("binzhou").config.auth
    assert auth.session_absolute_hours == 8
    values = auth.model_dump()
    assert Auth.model_validate({**values, "session_absolute_hours": 2}).session_absolute_hours == 2
    with pytest.raises(ValidationError) as refused:
        Auth.model_validate({**values, "session_idle_minutes": 180, "session_absolute_hours": 2})
    assert (
        "session_absolute_hours (2 hours) must not be shorter than session_idle_minutes "
        "(180 minutes)" in str(refused.value)
    )
    for hours in (0, 25):
        with pytest.raises(ValidationError, match="session_absolute_hours"):
            Auth.model_validate({**values, "session_absolute_hours": hours})


# --- two app processes sharing the database -----------------------------------------------

WORKER = textwrap.dedent(
    """
    import json, os, sys
    from pathlib import Path

    from shebao import create_app
    from shebao.account import captcha
    from tests.conftest import KNOWN_CAPTCHA, CityClient, make_settings

    config = json.loads(os.environ["SHEBAO_SESSION_WORKER"])
    captcha.new_text = lambda: KNOWN_CAPTCHA
    settings = make_settings(Path(config["tmp"]), Path(config["cities"]), config["database"])
    app = create_app(settings, {"TESTING": True})
    app.test_client_class = CityClient
    client = app.test_client()
    client.host = "binzhou.localhost"
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        if command["op"] == "cookie":
            client.set_cookie("shebao_session", command["value"], domain=client.host)
        elif command["op"] == "login":
            client.login(command["id_number"], command["password"])
        elif command["op"] == "logout":
            client.submit("/account/logout", {})
        page = client.get(command.get("path", "/personal-info/basic"))
        cookie = client.get_cookie("shebao_session", domain=client.host)
        answer = {"status": page.status_code, "cookie": cookie.value if cookie else None}
        print(json.dumps(answer), flush=True)
    """
)


class OtherProcess:
    """A second app process on the same database, driven line by line (no restart between)."""

    def __init__(self, settings, tmp_path):
        self.stderr = (tmp_path / "worker.log").open("w+")
        env = {
            **os.environ,
            "PYTHONPATH": str(PROJECT_ROOT),
            "SHEBAO_SESSION_WORKER": json.dumps(
                {
                    "tmp": str(tmp_path),
                    "cities": str(settings.cities_dir),
                    "database": settings.database_url,
                }
            ),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER],
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            text=True,
        )
        assert self._answer() == {"ready": True}

    def _answer(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            self.stderr.seek(0)
            raise AssertionError(f"the other process stopped:\n{self.stderr.read()[-3000:]}")
        return json.loads(line)

    def send(self, op: str, **values) -> dict:
        self.process.stdin.write(json.dumps({"op": op, **values}) + "\n")
        self.process.stdin.flush()
        return self._answer()

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.stderr.close()


@pytest.fixture
def other_process(settings, tmp_path):
    worker = OtherProcess(settings, tmp_path)
    yield worker
    worker.close()


def test_a_cookie_from_a_logout_here_is_refused_by_another_process(me, other_process):
    copied = cookie_of(me)
    me.post("/account/logout", data={"csrf_token": csrf(me, "/account/logout")})
    assert other_process.send("cookie", value=copied)["status"] == 302


def test_a_session_ended_here_is_refused_by_a_running_other_process(me, other_process, app, query):
    assert other_process.send("cookie", value=cookie_of(me))["status"] == 200
    assert other_process.send("get")["status"] == 200
    me.post("/account/exit", data={"csrf_token": csrf(me, "/account/exit")})
    assert other_process.send("get")["status"] == 302
    assert [row[3] for row in session_rows(query, me.resident.id)] == ["exit"]


def test_a_logout_in_another_process_ends_the_session_here(
    binzhou, make_resident, other_process, query
):
    resident = make_resident("binzhou")
    logged_in = other_process.send(
        "login", id_number=resident.id_number, password=resident.password
    )
    assert logged_in["status"] == 200
    replay(binzhou, logged_in["cookie"])
    assert is_logged_in(binzhou)

    assert other_process.send("logout")["status"] == 302
    replay(binzhou, logged_in["cookie"])
    assert not is_logged_in(binzhou)
    assert [row[3] for row in session_rows(query, resident.id)] == ["logout"]


def test_the_other_process_refuses_at_once_what_an_administrator_ended(me, other_process, app):
    assert other_process.send("cookie", value=cookie_of(me))["status"] == 200
    city = app.extensions["shebao.cities"].get("binzhou")
    with app.app_context():
        account = db.session.scalar(select(Account).where(Account.person_id == me.resident.id))
        with unit_of_work():
            end_sessions(city, account, "admin")
    assert other_process.send("get")["status"] == 302
