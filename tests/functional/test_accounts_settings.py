"""Account settings: change password, change registration information, log out, exit.

Changing a password ends every other session of the account. The audit log records the
account events and never a password or a code.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from shebao.account.models import Account, LoginThrottle, SmsCode
from shebao.audit import AuditEvent
from tests.account_helpers import (
    field_errors,
    fixture_query,  # noqa: F401 - a fixture
    fixture_say,  # noqa: F401 - a fixture
    text,
)
from tests.conftest import last_code

NEW_PASSWORD = "Fresh2026word"
MIX = (
    "The password must mix at least %(n)s of: lower-case letters, upper-case letters, digits, "
    "other characters."
)
CHANGE = "/account/change-password"
INFO = "/account/registration-info"
NEW_PHONE, OTHER_PHONE = "13912345678", "13798765432"
CSRF = re.compile(r'name="([\w-]*csrf_token)" type="hidden" value="([^"]+)"')


# --- helpers ------------------------------------------------------------------------------


def token(client, path: str = "/account/exit") -> str:
    return CSRF.search(client.get(path).get_data(as_text=True)).group(2)


def events(query, name: str | None = None) -> list[tuple]:
    stmt = select(
        AuditEvent.event,
        AuditEvent.account_id,
        AuditEvent.person_id,
        AuditEvent.detail,
        AuditEvent.client_address,
    ).order_by(AuditEvent.id)
    if name:
        stmt = stmt.where(AuditEvent.event == name)
    return query(lambda s: [tuple(r) for r in s.execute(stmt)])


def account_of(query, person_id: int) -> dict:
    row = query(
        lambda s: s.execute(
            select(
                Account.phone, Account.email, Account.session_epoch, Account.must_change_password
            ).where(Account.person_id == person_id)
        ).one()
    )
    return dict(zip(("phone", "email", "epoch", "must_change"), row, strict=True))


def is_logged_in(client) -> bool:
    return client.get(INFO).status_code == 200


@pytest.fixture
def resident(make_resident):
    return make_resident("binzhou")


@pytest.fixture
def me(binzhou, resident):
    """The Binzhou client, logged in as ``resident``."""
    assert binzhou.login(resident.id_number, resident.password).status_code == 302
    return binzhou


def change(client, old: str, new: str, confirm: str | None = None):
    return client.submit(
        CHANGE,
        {"old_password": old, "new_password": new, "confirm": new if confirm is None else confirm},
    )


# --- change password -----------------------------------------------------------------------


def test_change_password(me, resident, client_for, query, say):
    epoch = account_of(query, resident.id)["epoch"]
    page = change(me, resident.password, NEW_PASSWORD)
    assert page.status_code == 302 and page.headers["Location"] == "/"
    assert say(
        "binzhou",
        "Your password has been changed. Other sessions of this account have been logged out.",
    ) in text(me.get("/"))
    assert is_logged_in(me)  # this session goes on
    assert account_of(query, resident.id)["epoch"] == epoch + 1
    [(_event, account_id, person_id, detail, address)] = events(query, "password_changed")
    assert account_id and person_id == resident.id and detail == {} and address == "127.0.0.1"

    fresh = client_for("binzhou")
    assert fresh.login(resident.id_number, resident.password).status_code == 200
    assert fresh.login(resident.id_number, NEW_PASSWORD).status_code == 302


def test_change_password_needs_the_current_one(me, resident, say):
    page = change(me, "Wrong2026pass", NEW_PASSWORD)
    assert page.status_code == 200
    assert field_errors(page) == {
        "old_password": [say("binzhou", "The current password is wrong.")]
    }
    page = change(me, "", NEW_PASSWORD)
    assert field_errors(page) == {"old_password": [say("binzhou", "This field is required.")]}
    assert resident.password not in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("new", "confirm", "field", "msgid", "values"),
    [
        (
            "Fresh2026word",
            "Fresh2026wordx",
            "confirm",
            "The two new passwords are not the same.",
            {},
        ),
        (
            "Good2026pass",
            "Good2026pass",
            "new_password",
            "The new password must differ from the current one.",
            {},
        ),
        (
            "Ab1cd",
            "Ab1cd",
            "new_password",
            "The password must have at least %(n)s characters.",
            {"n": 8},
        ),
        (
            "abcdefghijk",
            "abcdefghijk",
            "new_password",
            MIX,
            {"n": 2},
        ),
        (
            "12345678901",
            "12345678901",
            "new_password",
            MIX,
            {"n": 2},
        ),
    ],
)
def test_change_password_policy(me, resident, query, say, new, confirm, field, msgid, values):
    epoch = account_of(query, resident.id)["epoch"]
    page = change(me, resident.password, new, confirm)
    assert page.status_code == 200
    assert field_errors(page) == {field: [say("binzhou", msgid, **values)]}
    assert account_of(query, resident.id)["epoch"] == epoch
    assert events(query, "password_changed") == []


def test_new_password_may_not_be_the_id_number(client_for, make_resident, say):
    resident = make_resident("binzhou", 4)  # ID number ending in X
    assert resident.id_number.endswith("X")
    client = client_for("binzhou")
    client.login(resident.id_number, resident.password)
    for new in (resident.id_number, resident.id_number.lower()):
        page = change(client, resident.password, new)
        assert field_errors(page) == {
            "new_password": [
                say("binzhou", "The password must not be your ID number or part of it.")
            ]
        }


def test_linhu_asks_for_its_own_longer_password(linhu, make_resident, say):
    resident = make_resident("linhu", password="Linhu2026pass!")
    linhu.login(resident.id_number, resident.password)
    page = change(linhu, resident.password, "Abc12345x")
    assert field_errors(page) == {
        "new_password": [say("linhu", "The password must have at least %(n)s characters.", n=10)]
    }
    page = change(linhu, resident.password, "abcdefgh12")
    assert field_errors(page) == {
        "new_password": [
            say(
                "linhu",
                MIX,
                n=3,
            )
        ]
    }
    assert change(linhu, resident.password, "Abcdefgh12").status_code == 302


def test_overlong_passwords_get_a_message_not_a_500(me, resident):
    page = change(me, "x" * 10_000, "y" * 10_000)
    assert page.status_code == 200
    assert set(field_errors(page)) == {"old_password", "new_password", "confirm"}


def test_changing_the_password_ends_every_other_session(me, resident, client_for, say):
    other = client_for("binzhou")
    assert other.login(resident.id_number, resident.password).status_code == 302
    assert is_logged_in(other)
    change(me, resident.password, NEW_PASSWORD)

    page = other.get("/card/info")
    assert page.status_code == 302 and "/account/login" in page.headers["Location"]
    assert say(
        "binzhou", "Your session has ended (the password was changed). Please log in again."
    ) in text(other.get(page.headers["Location"]))
    assert not is_logged_in(other)
    assert is_logged_in(me)
    # A copy of the old session cookie does not work either.
    assert other.login(resident.id_number, NEW_PASSWORD).status_code == 302


def test_old_session_cookie_replayed_after_a_password_change_is_not_logged_in(
    me, resident, client_for
):
    stolen = me.get_cookie("shebao_session", domain="binzhou.localhost").value
    change(me, resident.password, NEW_PASSWORD)
    thief = client_for("binzhou")
    thief.set_cookie("shebao_session", stolen, domain="binzhou.localhost")
    assert not is_logged_in(thief)


def test_change_password_without_csrf_token_is_400(me, resident, query):
    page = me.post(
        CHANGE,
        data={
            "old_password": resident.password,
            "new_password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert page.status_code == 400
    assert events(query, "password_changed") == []


# --- registration information ----------------------------------------------------------------


def test_registration_info_shows_who_and_lets_only_phone_and_email_change(me, resident, query, say):
    page = me.get(INFO)
    assert page.status_code == 200
    assert resident.name in text(page)
    assert resident.id_number not in text(page)  # masked
    assert resident.id_number[:4] in text(page) and resident.id_number[-4:] in text(page)
    assert f'value="{resident.phone}"' in page.get_data(as_text=True)

    saved = me.submit(
        INFO,
        {
            "phone": resident.phone,
            "email": "me@example.com",
            "name": "王五",
            "id_number": "110101199003077777",
        },
    )
    assert saved.status_code == 302 and saved.headers["Location"] == INFO
    assert say("binzhou", "Your registration information has been saved.") in text(me.get(INFO))
    assert account_of(query, resident.id)["email"] == "me@example.com"
    person = query(
        lambda s: (
            s.execute(select(Account).where(Account.person_id == resident.id)).scalar_one().person
        )
    )
    assert (person.name, person.id_number) == (resident.name, resident.id_number)
    [(_event, _account, _person, detail, _address)] = events(query, "registration_info_changed")
    assert detail == {"fields": ["email"]}

    # Clearing the e-mail is a change too.
    me.submit(INFO, {"phone": resident.phone, "email": ""})
    assert account_of(query, resident.id)["email"] is None


def test_bad_email_or_phone_is_refused_on_the_form(me, resident, query, say):
    page = me.submit(INFO, {"phone": resident.phone, "email": "nope"})
    assert field_errors(page) == {
        "email": [say("binzhou", "Enter a valid e-mail address, such as name@example.com.")]
    }
    assert 'value="nope"' in page.get_data(as_text=True)
    page = me.submit(INFO, {"phone": "12345", "email": ""})
    assert field_errors(page) == {"phone": [say("binzhou", "Enter an 11-digit mobile number.")]}
    page = me.submit(INFO, {"phone": "1" * 10_000, "email": "a" * 10_000})
    assert page.status_code == 200 and set(field_errors(page)) == {"phone", "email"}
    assert account_of(query, resident.id)["email"] is None
    assert events(query, "registration_info_changed") == []


def test_new_phone_is_confirmed_by_a_code_sent_to_it(me, resident, sms_outbox, query, say):
    sent = me.submit(INFO, {"phone": NEW_PHONE, "email": "", "send_code": "1"})
    assert sent.status_code == 200
    assert say("binzhou", "An SMS code has been sent to %(phone)s.", phone=NEW_PHONE) in text(sent)
    assert [m["phone"] for m in sms_outbox()] == [NEW_PHONE]
    code = last_code(sms_outbox(), NEW_PHONE)
    assert re.fullmatch(r"[0-9]{6}", code)
    code_hash = query(lambda s: s.scalar(select(SmsCode.code_hash)))
    assert code not in code_hash
    assert account_of(query, resident.id)["phone"] == resident.phone  # not changed by asking

    wrong_code = say("binzhou", "The SMS code is wrong or has expired. Ask for a new code.")
    page = me.submit(INFO, {"phone": NEW_PHONE, "email": ""})
    assert field_errors(page) == {"code": [wrong_code]}
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    page = me.submit(INFO, {"phone": NEW_PHONE, "email": "", "code": wrong})
    assert field_errors(page) == {"code": [wrong_code]}
    assert f'value="{NEW_PHONE}"' in page.get_data(as_text=True)
    assert account_of(query, resident.id)["phone"] == resident.phone

    saved = me.submit(INFO, {"phone": NEW_PHONE, "email": "", "code": code})
    assert saved.status_code == 302
    assert account_of(query, resident.id)["phone"] == NEW_PHONE
    [(_event, _account, _person, detail, _address)] = events(query, "registration_info_changed")
    assert detail == {"fields": ["phone"]}


def test_wrong_phone_codes_are_counted_and_the_code_dies_after_its_checks(
    me, resident, sms_outbox, query
):
    """Each refused try is kept although the change is refused: five wrong tries use the code up."""
    me.submit(INFO, {"phone": NEW_PHONE, "email": "", "send_code": "1"})
    code = last_code(sms_outbox(), NEW_PHONE)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for tries in range(1, 6):
        page = me.submit(INFO, {"phone": NEW_PHONE, "email": "", "code": wrong})
        assert "code" in field_errors(page)
        assert query(lambda s: s.scalar(select(SmsCode.checks))) == tries
    page = me.submit(INFO, {"phone": NEW_PHONE, "email": "", "code": code})
    assert "code" in field_errors(page)
    assert account_of(query, resident.id)["phone"] == resident.phone


def test_a_code_for_one_new_phone_does_not_confirm_another(me, resident, sms_outbox, query):
    me.submit(INFO, {"phone": NEW_PHONE, "email": "", "send_code": "1"})
    code = last_code(sms_outbox(), NEW_PHONE)
    page = me.submit(INFO, {"phone": OTHER_PHONE, "email": "", "code": code})
    assert "code" in field_errors(page)
    assert account_of(query, resident.id)["phone"] == resident.phone


def test_a_used_phone_code_cannot_be_used_again(me, resident, sms_outbox, query, say):
    me.submit(INFO, {"phone": NEW_PHONE, "email": "", "send_code": "1"})
    first = last_code(sms_outbox(), NEW_PHONE)
    assert me.submit(INFO, {"phone": NEW_PHONE, "email": "", "code": first}).status_code == 302
    me.submit(INFO, {"phone": resident.phone, "email": "", "send_code": "1"})
    back = last_code(sms_outbox(), resident.phone)
    assert me.submit(INFO, {"phone": resident.phone, "email": "", "code": back}).status_code == 302
    page = me.submit(INFO, {"phone": NEW_PHONE, "email": "", "code": first})
    assert field_errors(page) == {
        "code": [say("binzhou", "The SMS code is wrong or has expired. Ask for a new code.")]
    }
    assert account_of(query, resident.id)["phone"] == resident.phone


def test_phone_codes_are_limited_per_phone(me, resident, sms_outbox, say):
    me.submit(INFO, {"phone": NEW_PHONE, "email": "", "send_code": "1"})
    page = me.submit(INFO, {"phone": NEW_PHONE, "email": "", "send_code": "1"})
    assert field_errors(page) == {
        "phone": [
            say(
                "binzhou",
                "A message was sent to this number moments ago. Please "
                "wait %(seconds)s seconds before asking again.",
                seconds=60,
            )
        ]
    }
    assert len(sms_outbox()) == 1


def test_no_code_is_sent_to_the_phone_already_registered(me, resident, sms_outbox, say):
    page = me.submit(INFO, {"phone": resident.phone, "email": "", "send_code": "1"})
    assert field_errors(page) == {"phone": [say("binzhou", "This is already your mobile number.")]}
    assert sms_outbox() == []


# --- log out and exit ----------------------------------------------------------------------


def test_log_out_returns_to_the_login_page(me, say):
    page = me.get("/account/logout")
    assert page.status_code == 200
    assert say("binzhou", "Log out of this account and return to the login page.") in text(page)
    assert is_logged_in(me)  # looking at the page does not log out

    page = me.post("/account/logout", data={"csrf_token": token(me, "/account/logout")})
    assert page.status_code == 302 and page.headers["Location"] == "/account/login"
    assert say("binzhou", "You have logged out.") in text(me.get("/account/login"))
    assert not is_logged_in(me)
    asked = me.get("/card/info")
    assert asked.status_code == 302 and "/account/login" in asked.headers["Location"]


def test_exit_asks_for_confirmation_first(me, say):
    page = me.get("/account/exit")
    assert page.status_code == 200
    assert say("binzhou", "Do you really want to exit the system?") in text(page)
    assert is_logged_in(me)
    page = me.post("/account/exit", data={"csrf_token": token(me)})
    assert page.status_code == 302 and page.headers["Location"] == "/account/login"
    assert not is_logged_in(me)


def test_every_page_of_a_logged_in_user_links_to_exit(me):
    assert 'href="/account/exit"' in me.get("/").get_data(as_text=True)


def test_log_out_without_csrf_token_is_400_and_stays_logged_in(me):
    assert me.post("/account/logout").status_code == 400
    assert me.post("/account/exit").status_code == 400
    assert is_logged_in(me)


def test_log_out_keeps_the_chosen_language(me, say):
    me.get("/?lang=en")
    me.post("/account/logout", data={"csrf_token": token(me, "/account/logout")})
    assert "You have logged out." in text(me.get("/account/login"))


def test_logging_out_one_session_leaves_the_others(me, resident, client_for):
    other = client_for("binzhou")
    other.login(resident.id_number, resident.password)
    me.post("/account/logout", data={"csrf_token": token(me, "/account/logout")})
    assert is_logged_in(other)


# --- the audit log -------------------------------------------------------------------------


def test_audit_log_records_account_events_and_never_a_secret(
    client_for, make_resident, sms_outbox, query
):
    registrant = make_resident("binzhou", 1, account=False)
    member = make_resident("binzhou", 2)
    secrets = {
        registrant.password,
        member.password,
        NEW_PASSWORD,
        "Wrong2026pass",
        "Another2026pw",
        "test",
        "TEST",
    }

    # Registration by SMS.
    client = client_for("binzhou")
    client.submit(
        "/account/register?method=sms",
        {
            "id_number": registrant.id_number,
            "name": registrant.name,
            "phone": registrant.phone,
            "send_code": "1",
        },
    )
    code = last_code(sms_outbox(), registrant.phone)
    secrets.add(code)
    client.submit(
        "/account/register?method=sms",
        {
            "id_number": registrant.id_number,
            "name": registrant.name,
            "phone": registrant.phone,
            "code": code,
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )

    # Failures up to the lockout, then unlock and log in; change the password and the phone.
    for _attempt in range(5):
        client_for("binzhou").login(member.id_number, "Wrong2026pass")
    query(lambda s: (s.execute(update(LoginThrottle).values(locked_until=None)), s.commit()))
    session = client_for("binzhou")
    session.login(member.id_number, member.password)
    change(session, member.password, "Another2026pw")
    session.submit(INFO, {"phone": NEW_PHONE, "email": "", "send_code": "1"})
    phone_code = last_code(sms_outbox(), NEW_PHONE)
    secrets.add(phone_code)
    session.submit(INFO, {"phone": NEW_PHONE, "email": "x@example.com", "code": phone_code})

    # A reset by SMS (a minute later: the registration code went to the same phone).
    def a_minute_later(s):
        for row in s.scalars(select(SmsCode)):
            row.created_at -= timedelta(seconds=61)
        s.commit()

    query(a_minute_later)
    client_for("binzhou").submit(
        "/account/forgot-password", {"id_number": registrant.id_number, "phone": registrant.phone}
    )
    reset_text = [m for m in sms_outbox() if m["phone"] == registrant.phone][-1]["text"]
    secrets.update(w for w in re.findall(r"[A-Za-z0-9]{10,}", reset_text))

    rows = events(query)
    names = [row[0] for row in rows]
    for expected in (
        "registered",
        "login",
        "login_failed",
        "login_locked",
        "password_changed",
        "registration_info_changed",
        "password_reset",
    ):
        assert expected in names, expected
    assert names.count("login_failed") == 5 and names.count("login_locked") == 1
    for event, _account_id, person_id, detail, address in rows:
        assert address == "127.0.0.1", event
        dumped = json.dumps(detail, ensure_ascii=False)
        for secret in secrets:
            assert secret not in dumped, (event, secret)
        assert not {"password", "code", "answer", "captcha", "token", "secret"} & {
            k.lower() for k in detail
        }
        if event != "login_failed":
            assert person_id in (registrant.id, member.id), event
    assert dict((r[0], r[3]) for r in rows)["registration_info_changed"] == {
        "fields": ["phone", "email"]
    }
