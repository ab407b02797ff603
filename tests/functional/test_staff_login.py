"""Staff console: login with password and TOTP, enrolment, separate sessions, networks."""

from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import select

from shebao.audit import AuditEvent
from shebao.core.extensions import db
from shebao.staff.models import StaffMember, StaffSession
from shebao.staff.sessions import COOKIE
from tests.staff_helpers import STAFF_PASSWORD, csrf_of, make_staff, staff_login, totp_code


def text(response) -> str:
    return response.get_data(as_text=True)


def test_login_with_password_and_code_opens_the_console(app, dezhou):
    member = make_staff(app, "dezhou", "wang.li", "reviewer")
    response = staff_login(dezhou, member)
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff/")
    assert COOKIE in response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in response.headers["Set-Cookie"]
    page = dezhou.get("/staff/?lang=en")
    assert page.status_code == 200 and "Staff console" in text(page)
    assert page.headers["Cache-Control"] == "no-store"
    with app.app_context():
        assert db.session.scalar(select(StaffSession).where(StaffSession.city == "dezhou"))
        events = set(db.session.scalars(select(AuditEvent.event)))
    assert "staff_login" in events


def test_a_wrong_code_is_refused_and_counted(app, dezhou):
    member = make_staff(app, "dezhou", "wang.li", "reviewer")
    wrong = f"{(int(totp_code(member)) + 1) % 1_000_000:06d}"
    response = staff_login(dezhou, member, code=wrong)
    assert response.status_code == 200
    assert "用户名、密码或动态验证码不正确" in text(response) or "wrong" in text(response)
    assert COOKIE not in response.headers.get("Set-Cookie", "")
    assert dezhou.get("/staff/").status_code == 302
    with app.app_context():
        assert "staff_login_failed" in set(db.session.scalars(select(AuditEvent.event)))


def test_a_replayed_code_is_refused_with_its_own_message(app, dezhou, client_for):
    member = make_staff(app, "dezhou", "wang.li", "reviewer")
    code = totp_code(member)
    assert staff_login(dezhou, member, code=code).status_code == 302
    other = client_for("dezhou")
    response = staff_login(other, member, code=code)
    assert response.status_code == 200 and COOKIE not in response.headers.get("Set-Cookie", "")
    assert "已经用过" in text(response)
    assert other.get("/staff/").status_code == 302


def test_wrong_passwords_lock_the_staff_login(app, dezhou):
    member = make_staff(app, "dezhou", "wang.li", "reviewer")
    for _ in range(5):
        response = staff_login(dezhou, member, password="Wrong2026Password")
    assert "锁定" in text(response)
    # The right password and code are refused while the lock lasts.
    response = staff_login(dezhou, member)
    assert "锁定" in text(response) and COOKIE not in response.headers.get("Set-Cookie", "")


def test_a_staff_cookie_on_another_citys_host_is_not_logged_in(app, dezhou, binzhou):
    member = make_staff(app, "dezhou", "wang.li", "reviewer")
    staff_login(dezhou, member)
    cookie = dezhou.get_cookie(COOKIE, domain="dezhou.localhost", path="/staff")
    assert cookie is not None
    binzhou.set_cookie(COOKIE, cookie.value, domain="binzhou.localhost", path="/staff")
    response = binzhou.get("/staff/applications")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    page = binzhou.get(response.headers["Location"])
    assert "会话在此处无效" in text(page)


def test_a_resident_session_never_opens_the_console_and_staff_never_the_residents_pages(
    app, dezhou, make_resident, client_for
):
    resident = make_resident("dezhou", 1)
    dezhou.login(resident.id_number, resident.password)
    assert dezhou.get("/personal-info/basic").status_code == 200
    response = dezhou.get("/staff/")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    staff_client = client_for("dezhou")
    staff_login(staff_client, make_staff(app, "dezhou", "wang.li", "reviewer"))
    assert staff_client.get("/staff/").status_code == 200
    response = staff_client.get("/personal-info/basic")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_logout_ends_the_session_on_the_server(app, dezhou):
    member = make_staff(app, "dezhou", "wang.li", "reviewer")
    staff_login(dezhou, member)
    cookie = dezhou.get_cookie(COOKIE, domain="dezhou.localhost", path="/staff").value
    dezhou.post("/staff/logout", data={"csrf_token": csrf_of(dezhou, "/staff/")})
    dezhou.set_cookie(COOKIE, cookie, domain="dezhou.localhost", path="/staff")
    assert dezhou.get("/staff/").status_code == 302


def test_a_client_outside_the_allowed_networks_gets_403(app, linhu):
    """The fixture city linhu allows 10.12.0.0/16 only; the test client is 127.0.0.1."""
    assert linhu.get("/staff/login").status_code == 403
    inside = linhu.get("/staff/login", environ_base={"REMOTE_ADDR": "10.12.3.4"})
    assert inside.status_code == 200


def test_cli_creates_an_administrator_who_enrols_and_logs_in(app, dezhou):
    result = app.test_cli_runner().invoke(
        args=["staff", "create", "--city", "dezhou", "--user", "admin.zhang", "--role", "admin"]
    )
    assert result.exit_code == 0, result.output
    code = result.output.split("valid 3 days): ")[1].split()[0]
    page = dezhou.post(
        "/staff/enrol",
        data={
            "csrf_token": csrf_of(dezhou, "/staff/enrol"),
            "username": "admin.zhang",
            "code": code,
        },
    )
    body = text(page)
    assert "<img" in body and "data:image/svg+xml" in body
    with app.app_context():
        secret = db.session.scalar(select(StaffMember.totp_secret))
    assert secret in body
    member = type("M", (), {"username": "admin.zhang", "secret": secret})
    response = dezhou.post(
        "/staff/enrol",
        data={
            "csrf_token": csrf_of(dezhou, "/staff/enrol"),
            "username": "admin.zhang",
            "code": code,
            "password": STAFF_PASSWORD,
            "confirm": STAFF_PASSWORD,
            "totp": pyotp.TOTP(secret).now(),
        },
    )
    assert response.status_code == 302
    # The code of the enrolment is used up: logging in needs the next one.
    assert staff_login(dezhou, member, code=totp_code(member, 1)).status_code == 302
    assert dezhou.get("/staff/members").status_code == 200
    # The enrolment code worked once.
    again = dezhou.post(
        "/staff/enrol",
        data={
            "csrf_token": csrf_of(dezhou, "/staff/enrol"),
            "username": "admin.zhang",
            "code": code,
        },
    )
    assert "不匹配" in text(again) or "do not match" in text(again)


@pytest.mark.parametrize("city", ["binzhou", "dezhou"])
def test_the_console_is_switched_on_in_both_shipped_cities(city_of, city):
    assert city_of(city).config.staff.enabled


def _log_in_at_once(barrier, answers, client, member, code, token):
    barrier.wait()
    answers.append(
        client.post(
            "/staff/login",
            data={
                "csrf_token": token,
                "username": member.username,
                "password": STAFF_PASSWORD,
                "totp": code,
            },
        )
    )


def test_one_code_sent_by_two_browsers_at_once_opens_one_session(app, client_for):
    """Real threads: the same code at the same moment from two browsers; one login only."""
    import threading

    member = make_staff(app, "dezhou", "wang.li", "reviewer")
    code = totp_code(member)
    clients = [client_for("dezhou") for _ in range(2)]
    tokens = [csrf_of(client, "/staff/login") for client in clients]
    barrier, answers = threading.Barrier(2), []
    threads = [
        threading.Thread(
            target=_log_in_at_once, args=(barrier, answers, client, member, code, token)
        )
        for client, token in zip(clients, tokens, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answer.status_code for answer in answers) == [200, 302]
    with app.app_context():
        assert len(db.session.scalars(select(StaffSession)).all()) == 1


def test_an_idle_staff_session_ends_and_says_why(app, dezhou):
    from datetime import timedelta

    from sqlalchemy import update

    from shebao.core.time import utcnow

    member = make_staff(app, "dezhou", "wang.li", "reviewer")
    staff_login(dezhou, member)
    with app.app_context():
        db.session.execute(
            update(StaffSession).values(last_seen_at=utcnow() - timedelta(minutes=30))
        )
        db.session.commit()
    response = dezhou.get("/staff/applications")
    assert response.status_code == 302 and "why=idle" in response.headers["Location"]
    assert "长时间未操作" in text(dezhou.get(response.headers["Location"]))
    with app.app_context():
        assert db.session.scalar(select(StaffSession.end_reason)) == "idle"


def test_enrolment_refuses_a_wrong_code_a_weak_password_and_a_wrong_one_time_code(app, dezhou):
    result = app.test_cli_runner().invoke(
        args=["staff", "create", "--city", "dezhou", "--user", "li.si", "--role", "service"]
    )
    code = result.output.split("valid 3 days): ")[1].split()[0]

    def finish(**values):
        data = {
            "username": "li.si",
            "code": code,
            "password": STAFF_PASSWORD,
            "confirm": STAFF_PASSWORD,
            "totp": "000000",
            **values,
        }
        return dezhou.post(
            "/staff/enrol", data={"csrf_token": csrf_of(dezhou, "/staff/enrol"), **data}
        )

    assert "不匹配" in text(finish(code="AAAA-BBBB-CCCC-DDDD"))
    assert "至少 12 个字符" in text(finish(password="short", confirm="short"))
    assert "动态验证码不正确" in text(finish())
    with app.app_context():
        member = db.session.scalar(select(StaffMember))
        assert member.password_hash is None and member.enrolment_hash is not None
