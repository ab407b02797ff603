"""Self-registration (Binzhou): by social security card, or by the phone reserved at the hall.

Only a person insured in this city may register, once. Every refusal is a message on the form
that keeps what the user typed, except the passwords; a failed identity check by card gets one
neutral message whatever failed (tests/functional/test_no_enumeration.py proves the pages and
the work are the same). SMS codes: 6 digits, 5 minutes, at most 5 checks, stored hashed, one
send per phone per 60 seconds and 10 a day.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from shebao.account.models import Account, SmsCode
from shebao.audit import AuditEvent
from shebao.people.idnumber import make_id_number
from tests.account_helpers import (
    field_errors,
    fixture_query,  # noqa: F401 - a fixture
    fixture_say,  # noqa: F401 - a fixture
    form_errors,
    text,
)
from tests.conftest import last_code

NEW_PASSWORD = "Fresh2026word"
MIX = (
    "The password must mix at least %(n)s of: lower-case letters, upper-case letters, digits, "
    "other characters."
)
CARD = "/account/register?method=card"
SMS = "/account/register?method=sms"
SEND = "免费获取手机验证码"
UNKNOWN_ID = make_id_number("371602", date(1975, 6, 15), 987)
NEUTRAL = (
    "We could not register an account with these details. Please check the ID number, the name "
    "and the social security card number. If this person already has an account, a text message "
    "about it has been sent to the mobile number on record."
)
ALREADY = 'This person already has an account. Please log in, or use "Forgot password".'


# --- helpers ------------------------------------------------------------------------------


def value_of(response, field: str) -> str | None:
    """The value an <input name=field> is rendered with (None when it has none)."""
    tag = re.search(rf'<input[^>]*\bname="{field}"[^>]*>', response.get_data(as_text=True))
    assert tag, f"no input {field}"
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else None


def accounts(query, city: str = "binzhou") -> list[tuple]:
    return query(
        lambda s: [
            tuple(r)
            for r in s.execute(
                select(
                    Account.person_id,
                    Account.origin,
                    Account.phone,
                    Account.email,
                    Account.password_hash,
                )
                .where(Account.city == city)
                .order_by(Account.id)
            )
        ]
    )


def events(query, name: str) -> list[tuple]:
    return query(
        lambda s: [
            tuple(r)
            for r in s.execute(
                select(
                    AuditEvent.city, AuditEvent.account_id, AuditEvent.person_id, AuditEvent.detail
                )
                .where(AuditEvent.event == name)
                .order_by(AuditEvent.id)
            )
        ]
    )


def sms_rows(query) -> list[tuple]:
    return query(
        lambda s: [
            tuple(r)
            for r in s.execute(
                select(
                    SmsCode.phone,
                    SmsCode.purpose,
                    SmsCode.code_hash,
                    SmsCode.created_at,
                    SmsCode.expires_at,
                    SmsCode.checks,
                    SmsCode.used,
                ).order_by(SmsCode.id)
            )
        ]
    )


def shift_sms(query, seconds: int, **where) -> None:
    """Move every stored SMS back in time (as if ``seconds`` had passed)."""

    def run(s):
        for row in s.scalars(select(SmsCode).filter_by(**where)):
            row.created_at -= timedelta(seconds=seconds)
            row.expires_at -= timedelta(seconds=seconds)
        s.commit()

    query(run)


def card_form(resident, **changes) -> dict:
    form = {
        "id_number": resident.id_number,
        "name": resident.name,
        "card_number": resident.card_number,
        "phone": "13912345678",
        "email": "",
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
    }
    form.update(changes)
    return form


def sms_form(resident, **changes) -> dict:
    form = {
        "id_number": resident.id_number,
        "name": resident.name,
        "phone": resident.phone,
        "code": "",
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
    }
    form.update(changes)
    return form


def ask_code(client, resident, **changes):
    form = {
        "id_number": resident.id_number,
        "name": resident.name,
        "phone": resident.phone,
        "send_code": SEND,
    }
    form.update(changes)
    return client.submit(SMS, form)


# --- by card -------------------------------------------------------------------------------


def test_register_by_card_then_log_in(binzhou, make_resident, query, say):
    resident = make_resident("binzhou", account=False)
    page = binzhou.get(CARD)
    assert page.status_code == 200
    assert say(
        "binzhou", "Only people insured in this city can register, one account per person."
    ) in text(page)

    done = binzhou.submit(CARD, card_form(resident, email="zhang@example.com"))
    assert done.status_code == 302 and done.headers["Location"] == "/account/login"
    assert say("binzhou", "Registration complete. Please log in.") in text(
        binzhou.get("/account/login")
    )

    [(person_id, origin, phone, email, password_hash)] = accounts(query)
    assert (person_id, origin, phone, email) == (
        resident.id,
        "card",
        "13912345678",
        "zhang@example.com",
    )
    assert password_hash.startswith("scrypt:") and NEW_PASSWORD not in password_hash
    [(city, account_id, event_person, detail)] = events(query, "registered")
    assert (city, event_person, detail) == (
        "binzhou",
        resident.id,
        {"method": "card"},
    ) and account_id

    page = binzhou.login(resident.id_number, NEW_PASSWORD)
    assert page.status_code == 302 and page.headers["Location"] == "/"


def test_card_number_is_compared_ignoring_case_and_spaces(binzhou, make_resident, query):
    resident = make_resident("binzhou", account=False, card_number="A12345678")
    done = binzhou.submit(
        CARD, card_form(resident, card_number="  a12345678 ", id_number=resident.id_number.lower())
    )
    assert done.status_code == 302
    assert len(accounts(query)) == 1


def test_a_wrong_card_number_gets_the_neutral_refusal_keeping_the_input(
    binzhou, make_resident, query, say, sms_outbox
):
    resident = make_resident("binzhou", account=False)
    form = card_form(resident, card_number="T99999999", email="zhang@example.com")
    page = binzhou.submit(CARD, form)
    assert page.status_code == 200
    assert form_errors(page) == [say("binzhou", NEUTRAL)]
    assert field_errors(page) == {}  # nothing says which of the details was wrong
    for field in ("id_number", "name", "card_number", "phone", "email"):
        assert value_of(page, field) == form[field], field
    assert not value_of(page, "password") and not value_of(page, "confirm")
    assert NEW_PASSWORD not in page.get_data(as_text=True)
    assert page.headers.get("Cache-Control") == "no-store"  # it shows the ID number, name and phone
    assert accounts(query) == [] and sms_outbox() == []
    [(city, _account, person_id, detail)] = events(query, "registration_refused")
    assert (city, person_id, detail) == ("binzhou", resident.id, {"reason": "mismatch"})


@pytest.mark.parametrize("case", ["wrong name", "unknown person", "person of another city"])
def test_who_is_not_an_insured_person_of_this_city_cannot_register(
    binzhou, make_resident, query, say, case
):
    resident = make_resident("binzhou", 1, account=False)
    elsewhere = make_resident("dezhou", 2, account=False)
    form = {
        "wrong name": card_form(resident, name="王五"),
        "unknown person": card_form(resident, id_number=UNKNOWN_ID),
        "person of another city": card_form(elsewhere),
    }[case]
    page = binzhou.submit(CARD, form)
    assert page.status_code == 200
    assert form_errors(page) == [say("binzhou", NEUTRAL)]
    assert (
        value_of(page, "name") == form["name"] and value_of(page, "id_number") == form["id_number"]
    )
    assert accounts(query) == [] and accounts(query, "dezhou") == []


def test_id_number_with_a_wrong_check_digit_is_refused(binzhou, make_resident, query, say):
    resident = make_resident("binzhou", account=False)
    wrong = resident.id_number[:-1] + ("1" if resident.id_number[-1] != "1" else "2")
    page = binzhou.submit(CARD, card_form(resident, id_number=wrong))
    assert page.status_code == 200
    assert field_errors(page)["id_number"] == [
        say("binzhou", "Enter a valid 18-character ID number (check the last digit or X).")
    ]
    assert value_of(page, "id_number") == wrong
    assert accounts(query) == []


def test_one_account_per_person_told_by_sms_to_the_reserved_phone(
    binzhou, make_resident, query, say, sms_outbox
):
    resident = make_resident("binzhou", account=False)
    assert binzhou.submit(CARD, card_form(resident)).status_code == 302
    page = binzhou.submit(
        CARD, card_form(resident, password="Other2026pass", confirm="Other2026pass")
    )
    assert page.status_code == 200
    assert form_errors(page) == [say("binzhou", NEUTRAL)]  # the page does not say "registered"
    [message] = sms_outbox()
    # To the number reserved at the hall, not the one typed on the form (13912345678).
    assert (message["city"], message["phone"]) == ("binzhou", resident.phone)
    masked = resident.id_number[:4] + "*" * 10 + resident.id_number[-4:]
    assert masked in message["text"] and resident.id_number not in message["text"]
    assert "忘记密码" in message["text"]
    assert len(accounts(query)) == 1
    [(_city, _account, person_id, detail)] = events(query, "registration_refused")
    assert (person_id, detail) == (resident.id, {"reason": "registered"})
    assert (
        binzhou.login(resident.id_number, NEW_PASSWORD).status_code == 302
    )  # the first password stands


def test_the_already_registered_notice_keeps_to_the_phone_limits(
    binzhou, make_resident, query, say, sms_outbox
):
    resident = make_resident("binzhou")
    for _attempt in range(3):
        page = binzhou.submit(CARD, card_form(resident))
        assert form_errors(page) == [say("binzhou", NEUTRAL)]
    assert len(sms_outbox()) == 1  # one message per phone per 60 seconds
    assert [row[:2] for row in sms_rows(query)] == [(resident.phone, "registered")]


def test_two_registrations_at_the_same_moment_leave_one_account_and_no_500(
    binzhou, make_resident, query, say, monkeypatch
):
    """The second of two simultaneous registrations passes the "already registered" check
    before the first is committed; the database's unique key refuses it, with the message."""
    from shebao.account.services import registration

    resident = make_resident("binzhou", account=False)
    assert binzhou.submit(CARD, card_form(resident)).status_code == 302
    found = registration.person_and_account
    monkeypatch.setattr(
        registration, "person_and_account", lambda city, number: (found(city, number)[0], None)
    )
    page = binzhou.submit(
        CARD, card_form(resident, password="Other2026pass", confirm="Other2026pass")
    )
    assert page.status_code == 200
    assert form_errors(page) == [say("binzhou", NEUTRAL)]
    assert len(accounts(query)) == 1
    assert len(events(query, "registered")) == 1


@pytest.mark.parametrize(
    ("password", "confirm", "field", "msgid", "values"),
    [
        ("Fresh2026word", "Fresh2026wordx", "confirm", "The two passwords are not the same.", {}),
        ("Ab1", "Ab1", "password", "The password must have at least %(n)s characters.", {"n": 8}),
        (
            "abcdefghij",
            "abcdefghij",
            "password",
            MIX,
            {"n": 2},
        ),
        (
            "A1" * 33,
            "A1" * 33,
            "password confirm",
            None,
            {},
        ),  # over 64: the form's own length message
    ],
)
def test_password_rules_are_checked_at_registration(
    binzhou, make_resident, query, say, password, confirm, field, msgid, values
):
    resident = make_resident("binzhou", account=False)
    page = binzhou.submit(CARD, card_form(resident, password=password, confirm=confirm))
    assert page.status_code == 200
    errors = field_errors(page)
    assert list(errors) == field.split()
    if msgid:
        assert errors[field] == [say("binzhou", msgid, **values)]
    assert value_of(page, "card_number") == resident.card_number
    assert accounts(query) == []


def test_password_may_not_be_the_id_number(binzhou, make_resident, query, say):
    resident = make_resident(
        "binzhou", 4, account=False
    )  # an ID number ending in X: two character classes
    assert resident.id_number.endswith("X")
    expected = say("binzhou", "The password must not be your ID number or part of it.")
    for password in (resident.id_number, resident.id_number.lower()):
        page = binzhou.submit(CARD, card_form(resident, password=password, confirm=password))
        assert field_errors(page) == {"password": [expected]}, password
    assert accounts(query) == []


def test_invalid_email_is_refused_and_an_empty_one_is_fine(binzhou, make_resident, query, say):
    resident = make_resident("binzhou", account=False)
    page = binzhou.submit(CARD, card_form(resident, email="not-an-address"))
    assert field_errors(page) == {
        "email": [say("binzhou", "Enter a valid e-mail address, such as name@example.com.")]
    }
    assert value_of(page, "email") == "not-an-address"
    assert binzhou.submit(CARD, card_form(resident, email="")).status_code == 302
    assert accounts(query)[0][3] is None


@pytest.mark.parametrize("field", ["id_number", "name", "card_number", "phone", "email"])
def test_overlong_fields_get_a_clear_message_not_a_500(binzhou, make_resident, query, field):
    resident = make_resident("binzhou", account=False)
    page = binzhou.submit(CARD, card_form(resident, **{field: "1" * 10_000}))
    assert page.status_code == 200
    assert field in field_errors(page)
    assert accounts(query) == []


def test_overlong_id_number_and_name_say_what_is_wrong(binzhou, say):
    page = binzhou.submit(
        CARD,
        {
            "id_number": "3" * 10_000,
            "name": "张" * 10_000,
            "card_number": "T1",
            "phone": "13912345678",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert page.status_code == 200
    errors = field_errors(page)
    assert say("binzhou", "The ID number has 18 characters.") in errors["id_number"]
    assert errors["name"] == [say("binzhou", "The name is too long.")]


def test_register_without_csrf_token_is_400(binzhou, make_resident, query):
    resident = make_resident("binzhou", account=False)
    binzhou.get(CARD)
    page = binzhou.post(CARD, data=card_form(resident))
    assert page.status_code == 400
    assert accounts(query) == []


def test_missing_required_fields_are_named(binzhou, say):
    page = binzhou.submit(CARD, {})
    assert page.status_code == 200
    errors = field_errors(page)
    for field in ("id_number", "name", "card_number", "phone", "password", "confirm"):
        assert say("binzhou", "This field is required.") in errors[field], field


# --- by phone (SMS) ------------------------------------------------------------------------


def test_register_by_phone_with_an_sms_code(binzhou, make_resident, sms_outbox, query, say):
    resident = make_resident("binzhou", account=False)
    page = binzhou.get(SMS)
    button = say("binzhou", "Get a free SMS code")  # 免费获取手机验证码
    assert f'name="send_code" type="submit" value="{button}"' in text(page)

    sent = ask_code(binzhou, resident)
    assert sent.status_code == 200
    assert say(
        "binzhou",
        "An SMS code has been sent to %(phone)s. It is valid for %(minutes)s minutes.",
        phone=resident.phone,
        minutes=5,
    ) in text(sent)
    assert (
        value_of(sent, "id_number") == resident.id_number
        and value_of(sent, "name") == resident.name
    )
    [message] = sms_outbox()
    assert (message["city"], message["phone"]) == ("binzhou", resident.phone)
    code = last_code(sms_outbox(), resident.phone)
    assert re.fullmatch(r"[0-9]{6}", code)

    [(phone, purpose, code_hash, created, expires, checks, used)] = sms_rows(query)
    assert (phone, purpose, checks, used) == (resident.phone, "register", 0, False)
    assert code not in code_hash and len(code_hash) == 64
    assert expires - created == timedelta(minutes=5)

    done = binzhou.submit(SMS, sms_form(resident, code=code))
    assert done.status_code == 302 and done.headers["Location"] == "/account/login"
    [(person_id, origin, phone, _email, _hash)] = accounts(query)
    assert (person_id, origin, phone) == (resident.id, "sms", resident.phone)
    assert sms_rows(query)[0][5:] == (1, True)
    [(_city, _account, _person, detail)] = events(query, "registered")
    assert detail == {"method": "sms"}
    assert binzhou.login(resident.id_number, NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    "case", ["no reserved phone", "another phone", "wrong name", "unknown person"]
)
def test_without_the_reserved_phone_the_page_says_to_reserve_one_at_the_hall(
    binzhou, make_resident, sms_outbox, query, say, case
):
    with_phone = make_resident("binzhou", 1, account=False)
    without_phone = make_resident("binzhou", 2, account=False, phone=None)
    form = {
        "no reserved phone": dict(resident=without_phone, phone="13912345678"),
        "another phone": dict(resident=with_phone, phone="13912345678"),
        "wrong name": dict(resident=with_phone, name="王五"),
        "unknown person": dict(resident=with_phone, id_number=UNKNOWN_ID),
    }[case]
    resident = form.pop("resident")
    expected = say(
        "binzhou",
        "The ID number, name and mobile number do not match the number reserved at the "
        "service hall. If you have not reserved a mobile number, please bring your ID card "
        "to a social insurance service hall to reserve one, then register.",
    )
    page = ask_code(binzhou, resident, **form)
    assert page.status_code == 200
    assert field_errors(page) == {"phone": [expected]}
    typed = {
        "id_number": resident.id_number,
        "name": resident.name,
        "phone": resident.phone,
        **form,
    }
    for field, value in typed.items():
        assert value_of(page, field) == value, field
    assert sms_outbox() == [] and sms_rows(query) == []

    # Registering outright (with a made-up code) is refused the same way.
    page = binzhou.submit(SMS, sms_form(resident, code="123456", **form))
    assert field_errors(page) == {"phone": [expected]}
    assert not value_of(page, "password")
    assert accounts(query) == []


def test_asking_for_a_code_needs_no_password_yet(binzhou, make_resident, sms_outbox):
    resident = make_resident("binzhou", account=False)
    page = ask_code(binzhou, resident)
    assert page.status_code == 200 and len(sms_outbox()) == 1


def test_asking_for_a_code_checks_the_id_number_and_phone_format(
    binzhou, make_resident, sms_outbox, say
):
    resident = make_resident("binzhou", account=False)
    page = ask_code(binzhou, resident, id_number="1" * 10_000, phone="12345")
    errors = field_errors(page)
    assert say("binzhou", "The ID number has 18 characters.") in errors["id_number"]
    assert errors["phone"] == [say("binzhou", "Enter an 11-digit mobile number.")]
    assert sms_outbox() == []


def test_already_registered_person_gets_a_notice_instead_of_a_code(
    binzhou, make_resident, sms_outbox, query, say
):
    resident = make_resident("binzhou")
    page = ask_code(binzhou, resident)
    assert page.status_code == 200 and form_errors(page) == [] and field_errors(page) == {}
    assert say(
        "binzhou",
        "An SMS code has been sent to %(phone)s. It is valid for %(minutes)s minutes.",
        phone=resident.phone,
        minutes=5,
    ) in text(page)  # the page answers as for a code: only the phone learns the truth
    [message] = sms_outbox()
    assert message["phone"] == resident.phone
    assert "忘记密码" in message["text"] and not re.search(
        r"(?<![0-9])[0-9]{6}(?![0-9])", message["text"]
    )
    assert [row[:2] for row in sms_rows(query)] == [(resident.phone, "registered")]
    # Whatever code is typed then, it is just a wrong code.
    page = binzhou.submit(SMS, sms_form(resident, code="123456"))
    assert field_errors(page) == {
        "code": [say("binzhou", "The SMS code is wrong or has expired. Ask for a new code.")]
    }
    assert len(accounts(query)) == 1


def test_already_registered_is_said_only_after_the_sms_code_proved_the_phone(
    binzhou, client_for, make_resident, sms_outbox, query, say
):
    resident = make_resident("binzhou", account=False)
    ask_code(binzhou, resident)
    code = last_code(sms_outbox(), resident.phone)
    # Meanwhile the person registered another way (by card, in another browser).
    assert client_for("binzhou").submit(CARD, card_form(resident)).status_code == 302
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    page = binzhou.submit(SMS, sms_form(resident, code=wrong))
    assert field_errors(page) == {
        "code": [say("binzhou", "The SMS code is wrong or has expired. Ask for a new code.")]
    }
    page = binzhou.submit(SMS, sms_form(resident, code=code))
    assert form_errors(page) == [say("binzhou", ALREADY)]
    assert len(accounts(query)) == 1


def test_registering_without_a_code_asks_for_one(binzhou, make_resident, query, say):
    resident = make_resident("binzhou", account=False)
    page = binzhou.submit(SMS, sms_form(resident))
    assert field_errors(page) == {
        "code": [say("binzhou", 'Enter the SMS code, or press "Get a free SMS code" first.')]
    }
    assert accounts(query) == []


def test_wrong_sms_code_is_refused_keeping_the_input(
    binzhou, make_resident, sms_outbox, query, say
):
    resident = make_resident("binzhou", account=False)
    ask_code(binzhou, resident)
    code = last_code(sms_outbox(), resident.phone)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    page = binzhou.submit(SMS, sms_form(resident, code=wrong))
    assert field_errors(page) == {
        "code": [say("binzhou", "The SMS code is wrong or has expired. Ask for a new code.")]
    }
    assert value_of(page, "code") == wrong and value_of(page, "phone") == resident.phone
    assert not value_of(page, "password")
    assert accounts(query) == []
    # The right code still works (one check was used).
    assert binzhou.submit(SMS, sms_form(resident, code=code)).status_code == 302


def test_sms_code_expires_after_five_minutes(binzhou, make_resident, sms_outbox, query, say):
    resident = make_resident("binzhou", account=False)
    ask_code(binzhou, resident)
    code = last_code(sms_outbox(), resident.phone)
    shift_sms(query, 5 * 60 + 1)
    page = binzhou.submit(SMS, sms_form(resident, code=code))
    assert field_errors(page) == {
        "code": [say("binzhou", "The SMS code is wrong or has expired. Ask for a new code.")]
    }
    assert accounts(query) == []


def test_sms_code_is_checked_at_most_five_times(binzhou, make_resident, sms_outbox, query, say):
    resident = make_resident("binzhou", account=False)
    ask_code(binzhou, resident)
    code = last_code(sms_outbox(), resident.phone)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _attempt in range(5):
        binzhou.submit(SMS, sms_form(resident, code=wrong))
    assert sms_rows(query)[0][5] == 5
    page = binzhou.submit(SMS, sms_form(resident, code=code))
    assert field_errors(page) == {
        "code": [say("binzhou", "The SMS code is wrong or has expired. Ask for a new code.")]
    }
    assert accounts(query) == []


def test_a_newer_code_replaces_the_older_one(binzhou, make_resident, sms_outbox, query):
    resident = make_resident("binzhou", account=False)
    ask_code(binzhou, resident)
    old = last_code(sms_outbox(), resident.phone)
    shift_sms(query, 61)
    ask_code(binzhou, resident)
    new = last_code(sms_outbox(), resident.phone)
    if old != new:
        assert binzhou.submit(SMS, sms_form(resident, code=old)).status_code == 200
    assert binzhou.submit(SMS, sms_form(resident, code=new)).status_code == 302


def test_one_code_per_phone_per_60_seconds(binzhou, make_resident, sms_outbox, query, say):
    resident = make_resident("binzhou", account=False)
    ask_code(binzhou, resident)
    page = ask_code(binzhou, resident)
    assert field_errors(page) == {
        "phone": [
            say(
                "binzhou",
                "A message was sent to this number moments ago. "
                "Please wait %(seconds)s seconds before asking again.",
                seconds=60,
            )
        ]
    }
    assert len(sms_outbox()) == 1 and len(sms_rows(query)) == 1
    shift_sms(query, 61)
    assert field_errors(ask_code(binzhou, resident)) == {}
    assert len(sms_outbox()) == 2


def test_at_most_ten_codes_a_day_per_phone(binzhou, make_resident, sms_outbox, query, say):
    resident = make_resident("binzhou", account=False)
    for _send in range(10):
        page = ask_code(binzhou, resident)
        assert field_errors(page) == {}
        shift_sms(query, 61)
    page = ask_code(binzhou, resident)
    assert field_errors(page) == {
        "phone": [
            say(
                "binzhou",
                "This number has received the most messages allowed "
                "in one day. Please try again tomorrow.",
            )
        ]
    }
    assert len(sms_outbox()) == 10
    # A day after the first one, a new code can be sent again.
    shift_sms(query, 24 * 3600 - 10 * 61 + 5)
    assert field_errors(ask_code(binzhou, resident)) == {}
    assert len(sms_outbox()) == 11


def test_a_code_for_one_phone_does_not_register_with_another(
    binzhou, make_resident, sms_outbox, query
):
    first = make_resident("binzhou", 1, account=False)
    second = make_resident("binzhou", 2, account=False)
    ask_code(binzhou, first)
    code = last_code(sms_outbox(), first.phone)
    page = binzhou.submit(SMS, sms_form(second, code=code))
    assert page.status_code == 200 and "code" in field_errors(page)
    assert accounts(query) == []


def test_overlong_sms_code_is_a_clear_message(binzhou, make_resident, query, say):
    resident = make_resident("binzhou", account=False)
    page = binzhou.submit(SMS, sms_form(resident, code="1" * 10_000))
    assert page.status_code == 200
    assert field_errors(page)["code"] == [say("binzhou", "The SMS code has 6 digits.")]
    assert accounts(query) == []


def test_asking_for_a_code_without_csrf_token_is_400(binzhou, make_resident, sms_outbox):
    resident = make_resident("binzhou", account=False)
    binzhou.get(SMS)
    page = binzhou.post(
        SMS,
        data={
            "id_number": resident.id_number,
            "name": resident.name,
            "phone": resident.phone,
            "send_code": SEND,
        },
    )
    assert page.status_code == 400
    assert sms_outbox() == []


def test_the_login_page_links_to_what_the_city_offers(binzhou, dezhou, say):
    binzhou_page = binzhou.get("/account/login").get_data(as_text=True)
    assert (
        'href="/account/register"' in binzhou_page
        and 'href="/account/forgot-password"' in binzhou_page
    )
    assert 'href="/account/recover"' not in binzhou_page
    dezhou_page = dezhou.get("/account/login").get_data(as_text=True)
    assert (
        'href="/account/register"' not in dezhou_page
        and 'href="/account/forgot-password"' not in dezhou_page
    )
    assert 'href="/account/recover"' in dezhou_page


def test_registration_stamps_the_time_of_the_password(binzhou, make_resident, query):
    resident = make_resident("binzhou", account=False)
    before = datetime.now(UTC)
    binzhou.submit(CARD, card_form(resident))
    changed = query(lambda s: s.scalar(select(Account.password_changed_at)))
    assert before - timedelta(seconds=1) <= changed <= datetime.now(UTC)
    assert sms_rows(query) == []  # a card registration sends no SMS
