"""Forgotten passwords: a new password by SMS (Binzhou) or security questions (Dezhou).

The SMS reset answers the same whether or not the ID number and phone matched, and is
rate-limited per phone (60 s, 10 a day) and per address (the route's limit). The password it
sends is pending: the old one keeps working until the sent one is first used (then it must be
changed), so a stranger who knows an ID number and its phone cannot lock the resident out.
Security answers are hashed and compared normalised; repeated wrong answers lock the recovery;
the recovery page always shows three questions.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from shebao.account.models import Account, LoginThrottle, SecurityAnswer, SmsCode
from shebao.audit import AuditEvent
from shebao.core.extensions import limiter
from shebao.people.idnumber import make_id_number
from tests.account_helpers import (
    field_errors,
    fixture_query,  # noqa: F401 - a fixture
    fixture_say,  # noqa: F401 - a fixture
    form_errors,
    text,
)

NEW_PASSWORD = "Fresh2026word"
FORGOT = "/account/forgot-password"
RECOVER = "/account/recover"
QUESTIONS = "/account/security-questions"
MOTHER, BIRTHPLACE, SCHOOL = "您母亲的姓名是？", "您的出生地是？", "您小学的校名是？"
QUESTION_LABEL = re.compile(r'<label for="answer-answer[123]">(.*?)</label>')
CSRF = re.compile(r'name="([\w-]*csrf_token)" type="hidden" value="([^"]+)"')
UNKNOWN_ID = make_id_number("371602", date(1975, 6, 15), 987)


# --- helpers ------------------------------------------------------------------------------


def post_form(client, path: str, data: dict, form_page: str | None = None):
    """Like ``client.submit`` but also for forms with a prefix (``start-csrf_token``)."""
    page = client.get(form_page or path).get_data(as_text=True)
    name, token = CSRF.search(page).groups()
    return client.post(path, data={name: token, **data})


def events(query, name: str | None = None) -> list[tuple]:
    stmt = select(
        AuditEvent.event, AuditEvent.account_id, AuditEvent.person_id, AuditEvent.detail
    ).order_by(AuditEvent.id)
    if name:
        stmt = stmt.where(AuditEvent.event == name)
    return query(lambda s: [tuple(r) for r in s.execute(stmt)])


def pending(query, person_id: int) -> tuple:
    """The sent password waiting for its first use: (hash, expiry)."""
    return query(
        lambda s: tuple(
            s.execute(
                select(Account.sent_password_hash, Account.sent_password_expires_at).where(
                    Account.person_id == person_id
                )
            ).one()
        )
    )


def account_row(query, person_id: int) -> tuple:
    return query(
        lambda s: tuple(
            s.execute(
                select(
                    Account.password_hash, Account.must_change_password, Account.session_epoch
                ).where(Account.person_id == person_id)
            ).one()
        )
    )


def is_logged_in(client) -> bool:
    return client.get("/account/registration-info").status_code == 200


def password_in(messages: list[dict], phone: str) -> str:
    [message] = [m for m in messages if m["phone"] == phone]
    found = re.findall(r"(?<![A-Za-z0-9])([A-Za-z0-9]{10,})(?![A-Za-z0-9])", message["text"])
    assert len(found) == 1, message["text"]
    return found[0]


def forgot(client, id_number: str, phone: str):
    return client.submit(FORGOT, {"id_number": id_number, "phone": phone})


def shift_sms(query, seconds: int) -> None:
    def run(s):
        for row in s.scalars(select(SmsCode)):
            row.created_at -= timedelta(seconds=seconds)
            row.expires_at -= timedelta(seconds=seconds)
        s.commit()

    query(run)


# --- forgot password by SMS (Binzhou) ------------------------------------------------------


def test_forgot_password_sends_a_new_password_that_must_then_be_changed(
    client_for, make_resident, sms_outbox, query, say
):
    resident = make_resident("binzhou")
    before = account_row(query, resident.id)
    client = client_for("binzhou")
    page = forgot(client, resident.id_number, resident.phone)
    assert page.status_code == 200
    assert say(
        "binzhou",
        "If the ID number and mobile number match our records, a new password has been sent to "
        "that mobile number. Your current password keeps working until you log in with the new "
        "one; then you will be asked to set your own.",
    ) in text(page)
    new = password_in(sms_outbox(), resident.phone)
    assert (
        sum(c.islower() for c in new)
        and sum(c.isupper() for c in new)
        and sum(c.isdigit() for c in new)
    )
    assert "24" in sms_outbox()[0]["text"]  # how long it is valid
    # Nothing changed yet but the pending password, stored hashed with its expiry.
    assert account_row(query, resident.id) == before
    sent_hash, expires = pending(query, resident.id)
    assert sent_hash.startswith("scrypt:") and new not in sent_hash
    assert timedelta(hours=23, minutes=59) < expires - datetime.now(UTC) <= timedelta(hours=24)
    [(_event, account_id, person_id, detail)] = events(query, "password_reset")
    assert person_id == resident.id and account_id and detail == {"channel": "sms"}

    # The sent password opens only the password change; from then on the old one is gone.
    page = client.login(resident.id_number, new)
    assert page.status_code == 302 and page.headers["Location"] == "/account/change-password"
    assert client.get("/card/info").headers["Location"] == "/account/change-password"
    password_hash, must_change, epoch = account_row(query, resident.id)
    assert must_change and password_hash == sent_hash and epoch == before[2] + 1
    assert pending(query, resident.id) == (None, None)
    assert [e[0] for e in events(query) if e[0].startswith("sent_password")] == [
        "sent_password_used"
    ]
    assert client_for("binzhou").login(resident.id_number, resident.password).status_code == 200
    done = client.submit(
        "/account/change-password",
        {"old_password": new, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert client.get("/account/registration-info").status_code == 200
    assert account_row(query, resident.id)[1] is False


def test_the_old_password_keeps_working_and_using_it_drops_the_sent_one(
    client_for, make_resident, sms_outbox, query
):
    """Whoever knows an ID number and its reserved mobile cannot lock the resident out."""
    resident = make_resident("binzhou")
    forgot(client_for("binzhou"), resident.id_number, resident.phone)
    sent = password_in(sms_outbox(), resident.phone)
    client = client_for("binzhou")
    page = client.login(resident.id_number, resident.password)
    assert page.status_code == 302 and page.headers["Location"] == "/"  # no forced change
    assert account_row(query, resident.id)[1] is False
    assert pending(query, resident.id) == (None, None)
    assert [e[0] for e in events(query) if e[0].startswith("sent_password")] == [
        "sent_password_dropped"
    ]
    # The resident still knew their password: the sent one is void now.
    assert client_for("binzhou").login(resident.id_number, sent).status_code == 200
    assert is_logged_in(client)


def test_a_request_alone_ends_no_session_and_using_the_sent_password_ends_them_all(
    client_for, make_resident, sms_outbox, say
):
    resident = make_resident("binzhou")
    other = client_for("binzhou")
    other.login(resident.id_number, resident.password)
    forgot(client_for("binzhou"), resident.id_number, resident.phone)
    assert is_logged_in(other)  # asking for a password changes nothing yet
    client_for("binzhou").login(resident.id_number, password_in(sms_outbox(), resident.phone))
    page = other.get("/card/info")
    assert page.status_code == 302 and "/account/login" in page.headers["Location"]
    assert say(
        "binzhou", "Your session has ended (the password was changed). Please log in again."
    ) in text(other.get(page.headers["Location"]))


def test_a_sent_password_expires_after_24_hours(client_for, make_resident, sms_outbox, query):
    resident = make_resident("binzhou")
    forgot(client_for("binzhou"), resident.id_number, resident.phone)
    sent = password_in(sms_outbox(), resident.phone)

    def a_day_later(s):
        for account in s.scalars(select(Account).where(Account.person_id == resident.id)):
            account.sent_password_expires_at -= timedelta(hours=24)
        s.commit()

    query(a_day_later)
    assert client_for("binzhou").login(resident.id_number, sent).status_code == 200
    assert account_row(query, resident.id)[1] is False
    assert client_for("binzhou").login(resident.id_number, resident.password).status_code == 302


def test_a_newer_sent_password_replaces_the_older_one(client_for, make_resident, sms_outbox, query):
    resident = make_resident("binzhou")
    forgot(client_for("binzhou"), resident.id_number, resident.phone)
    first = password_in(sms_outbox(), resident.phone)
    shift_sms(query, 61)
    forgot(client_for("binzhou"), resident.id_number, resident.phone)
    second = password_in(sms_outbox()[1:], resident.phone)
    assert client_for("binzhou").login(resident.id_number, first).status_code == 200
    assert (
        client_for("binzhou").login(resident.id_number, second).headers["Location"]
        == "/account/change-password"
    )


def test_changing_the_password_drops_a_sent_one(client_for, make_resident, sms_outbox, query):
    resident = make_resident("binzhou")
    session = client_for("binzhou")
    session.login(resident.id_number, resident.password)  # logged in before the request
    forgot(client_for("binzhou"), resident.id_number, resident.phone)
    sent = password_in(sms_outbox(), resident.phone)
    done = session.submit(
        "/account/change-password",
        {"old_password": resident.password, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert pending(query, resident.id) == (None, None)
    assert client_for("binzhou").login(resident.id_number, sent).status_code == 200
    assert client_for("binzhou").login(resident.id_number, NEW_PASSWORD).status_code == 302


def test_forgot_password_answers_the_same_whether_or_not_the_pair_matched(
    client_for, make_resident, sms_outbox, query
):
    resident = make_resident("binzhou", 1)
    unregistered = make_resident("binzhou", 2, account=False)
    elsewhere = make_resident("dezhou", 3)
    pages = {}
    for case, (id_number, phone) in {
        "match": (resident.id_number, resident.phone),
        "other phone": (resident.id_number, "13912345678"),
        "unknown ID number": (UNKNOWN_ID, resident.phone),
        "no account yet": (unregistered.id_number, unregistered.phone),
        "person of another city": (elsewhere.id_number, elsewhere.phone),
    }.items():
        page = forgot(client_for("binzhou"), id_number, phone)
        assert page.status_code == 200, case
        pages[case] = page.get_data(as_text=True)
    assert len(set(pages.values())) == 1, "the pages differ"
    assert [m["phone"] for m in sms_outbox()] == [resident.phone]
    assert pending(query, resident.id)[0] is not None
    assert len(events(query, "password_reset")) == 1
    assert len(events(query, "password_reset_refused")) == 4


def test_one_reset_sms_per_phone_per_60_seconds(client_for, make_resident, sms_outbox, query):
    resident = make_resident("binzhou")
    first = forgot(client_for("binzhou"), resident.id_number, resident.phone)
    sent = password_in(sms_outbox(), resident.phone)
    second = forgot(client_for("binzhou"), resident.id_number, resident.phone)
    assert second.get_data(as_text=True) == first.get_data(as_text=True)
    assert len(sms_outbox()) == 1
    # Nothing changed: the password that was sent still works.
    assert (
        client_for("binzhou").login(resident.id_number, sent).headers["Location"]
        == "/account/change-password"
    )
    shift_sms(query, 61)
    forgot(client_for("binzhou"), resident.id_number, resident.phone)
    assert len(sms_outbox()) == 2


def test_at_most_ten_messages_a_day_per_phone(client_for, make_resident, sms_outbox, query):
    resident = make_resident("binzhou")
    for _send in range(10):
        forgot(client_for("binzhou"), resident.id_number, resident.phone)
        shift_sms(query, 61)
        limiter.reset()  # the per-address limit is tested on its own below
    assert len(sms_outbox()) == 10
    last_sent = password_in(sms_outbox()[-1:], resident.phone)
    page = forgot(client_for("binzhou"), resident.id_number, resident.phone)
    assert page.status_code == 200 and len(sms_outbox()) == 10
    assert client_for("binzhou").login(resident.id_number, last_sent).status_code == 302


def test_sms_codes_and_reset_messages_share_the_phone_limits(client_for, make_resident, sms_outbox):
    resident = make_resident("binzhou", account=False)
    client = client_for("binzhou")
    client.submit(
        "/account/register?method=sms",
        {
            "id_number": resident.id_number,
            "name": resident.name,
            "phone": resident.phone,
            "send_code": "1",
        },
    )
    code = re.search(r"[0-9]{6}", sms_outbox()[0]["text"]).group(0)
    client.submit(
        "/account/register?method=sms",
        {
            "id_number": resident.id_number,
            "name": resident.name,
            "phone": resident.phone,
            "code": code,
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    forgot(client_for("binzhou"), resident.id_number, resident.phone)  # within 60 s of the code
    assert len(sms_outbox()) == 1
    assert client_for("binzhou").login(resident.id_number, NEW_PASSWORD).status_code == 302


def test_forgot_password_is_rate_limited_per_address(client_for, make_resident, sms_outbox, say):
    residents = [make_resident("binzhou", seq) for seq in range(1, 7)]
    for resident in residents[:5]:
        assert forgot(client_for("binzhou"), resident.id_number, resident.phone).status_code == 200
    page = forgot(client_for("binzhou"), residents[5].id_number, residents[5].phone)
    assert page.status_code == 429
    assert say("binzhou", "You have tried too often. Wait a few minutes and try again.") in text(
        page
    )
    assert len(sms_outbox()) == 5


def test_forgot_password_refuses_bad_input_on_the_form(binzhou, say):
    page = forgot(binzhou, "1" * 10_000, "12345")
    assert page.status_code == 200
    errors = field_errors(page)
    assert say("binzhou", "The ID number has 18 characters.") in errors["id_number"]
    assert errors["phone"] == [say("binzhou", "Enter an 11-digit mobile number.")]
    page = binzhou.post(FORGOT, data={"id_number": UNKNOWN_ID, "phone": "13912345678"})
    assert page.status_code == 400


def test_sms_recovery_is_not_offered_where_the_city_has_none(dezhou, say):
    page = dezhou.get(FORGOT)
    assert page.status_code == 404 and say("dezhou", "Not offered") in text(page)


# --- security questions (Dezhou) -----------------------------------------------------------


def set_questions(client, password: str, *pairs: tuple[str, str]):
    data = {"password": password}
    for position, (question, answer) in enumerate(pairs, start=1):
        data[f"question{position}"] = question
        data[f"answer{position}"] = answer
    return client.submit(QUESTIONS, data)


def recover_start(client, id_number: str):
    return post_form(client, RECOVER, {"start-id_number": id_number})


def recover_answer(
    client, id_number: str, answers: list[str], new: str = NEW_PASSWORD, confirm: str | None = None
):
    data = {
        "answer-id_number": id_number,
        "answer-new_password": new,
        "answer-confirm": new if confirm is None else confirm,
    }
    for position, answer in enumerate(answers, start=1):
        data[f"answer-answer{position}"] = answer
    return post_form(client, RECOVER, data)


@pytest.fixture
def protected(client_for, make_resident):
    """A Dezhou resident with their own password and three security questions."""
    resident = make_resident("dezhou", 1)
    client = client_for("dezhou")
    client.login(resident.id_number, resident.password)
    page = set_questions(
        client,
        resident.password,
        (MOTHER, "Zhang Xiuying"),
        (BIRTHPLACE, "德州 陵城"),
        (SCHOOL, "Sanba Primary"),
    )
    assert page.status_code == 302, text(page)
    client.post(
        "/account/logout",
        data={
            "csrf_token": CSRF.search(client.get("/account/logout").get_data(as_text=True)).group(2)
        },
    )
    return resident


def test_security_answers_are_stored_hashed(protected, query):
    rows = query(
        lambda s: [
            tuple(r)
            for r in s.execute(
                select(
                    SecurityAnswer.position, SecurityAnswer.question, SecurityAnswer.answer_hash
                ).order_by(SecurityAnswer.position)
            )
        ]
    )
    assert [(p, q) for p, q, _h in rows] == [(1, MOTHER), (2, BIRTHPLACE), (3, SCHOOL)]
    for _p, _q, answer_hash in rows:
        assert answer_hash.startswith("scrypt:")
        assert (
            "zhang" not in answer_hash.lower()
            and "德州" not in answer_hash
            and "sanba" not in answer_hash.lower()
        )
    [(_event, _account, _person, detail)] = events(query, "security_questions_set")
    assert detail == {"count": 3}


def test_recover_in_two_steps_with_answers_compared_normalised(client_for, protected, query, say):
    client = client_for("dezhou")
    page = client.get(RECOVER)
    assert page.status_code == 200
    step1 = recover_start(client, protected.id_number)
    assert step1.status_code == 200
    for question in (MOTHER, BIRTHPLACE, SCHOOL):
        assert question in text(step1)
    assert f'name="answer-id_number" type="hidden" value="{protected.id_number}"' in step1.get_data(
        as_text=True
    )

    # Other case, full-width letters, other spacing.
    done = recover_answer(
        client, protected.id_number, ["ＺＨＡＮＧ　 xiuying", "　德州　 陵城 ", "sanba   PRIMARY"]
    )
    assert done.status_code == 302 and done.headers["Location"] == "/account/login"
    assert say("dezhou", "Your new password is set. Please log in with it.") in text(
        client.get("/account/login")
    )
    [(_event, _account, person_id, detail)] = events(query, "password_reset")
    assert person_id == protected.id and detail == {"channel": "security_questions"}

    assert client.login(protected.id_number, protected.password).status_code == 200
    page = client.login(protected.id_number, NEW_PASSWORD)
    assert page.status_code == 302 and page.headers["Location"] == "/"


def give_questions(query, resident, *pairs: tuple[str, str]) -> None:
    """Questions stored directly, as an account set up before three were required has them."""
    from shebao.account.secrets import hash_secret, normalise_answer

    def run(s):
        account = s.scalars(select(Account).where(Account.person_id == resident.id)).one()
        for position, (question, answer) in enumerate(pairs, start=1):
            s.add(
                SecurityAnswer(
                    city=account.city,
                    account_id=account.id,
                    position=position,
                    question=question,
                    answer_hash=hash_secret(normalise_answer(answer)),
                )
            )
        s.commit()

    query(run)


def answers_for(page, given: dict[str, str]) -> list[str]:
    """What to type in each shown field: the answer to a question of ours, else nothing."""
    return [given.get(label, "") for label in QUESTION_LABEL.findall(page.get_data(as_text=True))]


def test_recovery_of_an_account_with_a_single_question(client_for, make_resident, query):
    resident = make_resident("dezhou", 2)
    give_questions(query, resident, (SCHOOL, "Sanba"))
    fresh = client_for("dezhou")
    step1 = recover_start(fresh, resident.id_number)
    shown = QUESTION_LABEL.findall(step1.get_data(as_text=True))
    assert len(shown) == 3 and len(set(shown)) == 3 and SCHOOL in shown
    # The other two are made up: whatever is typed there is not looked at.
    answers = answers_for(step1, {SCHOOL: "sanba"})
    page = recover_answer(fresh, resident.id_number, ["wrong" if a == "" else a for a in answers])
    assert page.status_code == 302
    assert fresh.login(resident.id_number, NEW_PASSWORD).status_code == 302


def test_a_wrong_answer_to_the_real_question_of_a_padded_account_is_refused(
    client_for, make_resident, query, say
):
    resident = make_resident("dezhou", 2)
    give_questions(query, resident, (SCHOOL, "Sanba"), (MOTHER, "Zhang"))
    client = client_for("dezhou")
    step1 = recover_start(client, resident.id_number)
    shown = QUESTION_LABEL.findall(step1.get_data(as_text=True))
    assert len(shown) == 3 and {SCHOOL, MOTHER} <= set(shown)
    page = recover_answer(
        client, resident.id_number, answers_for(step1, {SCHOOL: "sanba", MOTHER: "Li"})
    )
    assert form_errors(page) == [
        say("dezhou", "The answers do not match. Please check them and try again.")
    ]
    assert (
        recover_answer(
            client, resident.id_number, answers_for(step1, {SCHOOL: "sanba", MOTHER: "zhang"})
        ).status_code
        == 302
    )


def test_wrong_answers_are_refused_and_lock_after_five(client_for, protected, query, say):
    client = client_for("dezhou")
    wrong = say("dezhou", "The answers do not match. Please check them and try again.")
    for _attempt in range(4):
        page = recover_answer(client, protected.id_number, ["Li Si", "德州 陵城", "Sanba Primary"])
        assert page.status_code == 200 and form_errors(page) == [wrong]
        assert MOTHER in text(page)  # the questions stay on the page
    started = datetime.now(UTC)
    page = recover_answer(client, protected.id_number, ["Li Si", "德州 陵城", "Sanba Primary"])
    until = query(
        lambda s: s.scalar(
            select(LoginThrottle.locked_until).where(LoginThrottle.purpose == "recover")
        )
    )
    assert timedelta(minutes=14, seconds=55) < until - started <= timedelta(minutes=15, seconds=5)
    locked = say(
        "dezhou",
        "Too many failed attempts. This account is locked until %(time)s. Please try again then.",
        time=until.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M"),
    )
    assert form_errors(page) == [locked]
    # Locked: the right answers are refused too, and the password is unchanged.
    page = recover_answer(
        client, protected.id_number, ["Zhang Xiuying", "德州 陵城", "Sanba Primary"]
    )
    assert form_errors(page) == [locked]
    assert client.login(protected.id_number, protected.password).status_code == 302
    assert [e[0] for e in events(query) if e[0].startswith("recover")] == ["recover_failed"] * 5 + [
        "recover_locked"
    ]

    def unlock(s):
        s.execute(
            update(LoginThrottle).values(locked_until=datetime.now(UTC) - timedelta(seconds=1))
        )
        s.commit()

    query(unlock)
    other = client_for("dezhou")
    assert (
        recover_answer(
            other, protected.id_number, ["Zhang Xiuying", "德州 陵城", "Sanba Primary"]
        ).status_code
        == 302
    )


def test_unknown_id_or_no_questions_gets_questions_and_the_same_refusal(
    client_for, make_resident, query, say
):
    no_questions = make_resident("dezhou", 3)
    wrong = say("dezhou", "The answers do not match. Please check them and try again.")
    for id_number in (UNKNOWN_ID, no_questions.id_number):
        client = client_for("dezhou")
        step1 = recover_start(client, id_number)
        assert step1.status_code == 200
        shown = QUESTION_LABEL.findall(step1.get_data(as_text=True))
        assert len(shown) == 3 and len(set(shown)) == 3
        # Asked again, the same questions (nothing tells a made-up set from a real one).
        assert (
            QUESTION_LABEL.findall(
                recover_start(client_for("dezhou"), id_number).get_data(as_text=True)
            )
            == shown
        )
        page = recover_answer(client, id_number, ["aa", "bb", "cc"])
        assert form_errors(page) == [wrong]
    assert account_row(query, no_questions.id)[1] is False


def test_made_up_questions_do_not_change_with_the_spelling_of_the_id_number(client_for):
    """Else " <id>" against "<id>" would tell a real account (same questions) from none."""
    ending_in_x = make_id_number("371602", date(1980, 1, 5), 4)
    assert ending_in_x.endswith("X")
    for id_number in (UNKNOWN_ID, ending_in_x):
        shown = set()
        for variant in (id_number, f" {id_number} ", id_number.lower()):
            page = post_form(
                client_for("dezhou"),
                RECOVER,
                {"answer-id_number": variant, "answer-new_password": "", "answer-confirm": ""},
            )
            assert page.status_code == 200
            shown.add(tuple(QUESTION_LABEL.findall(page.get_data(as_text=True))))
        assert len(shown) == 1, shown


def test_recovery_checks_the_new_password(client_for, protected, say):
    client = client_for("dezhou")
    right = ["Zhang Xiuying", "德州 陵城", "Sanba Primary"]
    page = recover_answer(client, protected.id_number, right, confirm="Other2026word")
    assert field_errors(page) == {
        "answer-confirm": [say("dezhou", "The two new passwords are not the same.")]
    }
    page = recover_answer(client, protected.id_number, right, new="888888", confirm="888888")
    assert "answer-new_password" in field_errors(page)
    page = recover_answer(
        client, protected.id_number, right, new="abcdefghij", confirm="abcdefghij"
    )
    assert "answer-new_password" in field_errors(page)
    assert client.login(protected.id_number, protected.password).status_code == 302


def test_recovery_ends_every_other_session(client_for, protected, say):
    other = client_for("dezhou")
    other.login(protected.id_number, protected.password)
    assert is_logged_in(other)
    recover_answer(
        client_for("dezhou"), protected.id_number, ["Zhang Xiuying", "德州 陵城", "Sanba Primary"]
    )
    assert not is_logged_in(other)


def test_recovery_refuses_bad_input_with_a_message(client_for, protected, say):
    client = client_for("dezhou")
    page = recover_start(client, "1" * 10_000)
    assert page.status_code == 200
    assert (
        say("dezhou", "The ID number has 18 characters.") in field_errors(page)["start-id_number"]
    )
    wrong_digit = protected.id_number[:-1] + ("1" if protected.id_number[-1] != "1" else "2")
    page = recover_start(client, wrong_digit)
    assert field_errors(page)["start-id_number"] == [
        say("dezhou", "Enter a valid 18-character ID number (check the last digit or X).")
    ]

    page = recover_answer(
        client, protected.id_number, ["Zhang Xiuying" * 1000, "德州 陵城", "Sanba Primary"]
    )
    assert page.status_code == 200
    assert "answer-answer1" in field_errors(page), "an over-long answer needs a message next to it"
    page = recover_answer(client, "1" * 10_000, ["a", "b", "c"])
    assert page.status_code == 200 and form_errors(page)
    assert client.post(RECOVER, data={"start-id_number": protected.id_number}).status_code == 400
    assert client.login(protected.id_number, protected.password).status_code == 302


def test_security_questions_need_the_current_password_and_distinct_questions(
    client_for, make_resident, query, say
):
    resident = make_resident("dezhou", 4)
    client = client_for("dezhou")
    client.login(resident.id_number, resident.password)
    others = ((BIRTHPLACE, "Lingcheng"), (SCHOOL, "Sanba"))
    page = set_questions(client, "Wrong2026pass", (MOTHER, "Zhang"), *others)
    assert field_errors(page) == {"password": [say("dezhou", "The current password is wrong.")]}
    page = set_questions(client, resident.password, (MOTHER, "Zhang"), (MOTHER, "Li"), others[1])
    assert form_errors(page) == [say("dezhou", "Choose a different question for each answer.")]
    page = set_questions(client, resident.password, (MOTHER, "Z"), *others)
    assert field_errors(page) == {
        "answer1": [say("dezhou", "Each answer must have 2 to 50 characters.")]
    }
    page = set_questions(
        client, resident.password, ("What is your favourite colour?", "Blue"), *others
    )
    assert field_errors(page) == {"question1": [say("dezhou", "Choose a question from the list.")]}
    assert query(lambda s: s.scalars(select(SecurityAnswer)).all()) == []


@pytest.mark.parametrize(
    "pairs",
    [
        (),
        ((MOTHER, "Zhang"),),
        ((MOTHER, "Zhang"), (SCHOOL, "Sanba")),
        ((MOTHER, "Zhang"), (SCHOOL, "Sanba"), (BIRTHPLACE, "")),
        ((MOTHER, "Zhang"), (SCHOOL, "Sanba"), ("", "Lingcheng")),
    ],
    ids=["none", "one", "two", "third without answer", "third without question"],
)
def test_security_questions_must_be_exactly_three(client_for, make_resident, query, say, pairs):
    resident = make_resident("dezhou", 4)
    client = client_for("dezhou")
    client.login(resident.id_number, resident.password)
    page = set_questions(client, resident.password, *pairs)
    assert page.status_code == 200
    assert form_errors(page) == [
        say("dezhou", "Choose three different questions and write an answer to each of them.")
    ]
    assert query(lambda s: s.scalars(select(SecurityAnswer)).all()) == []
    assert say(
        "dezhou",
        "Choose three different questions and answer each of them. If you forget your password, "
        "answering them lets you set a new one.",
    ) in text(client.get(QUESTIONS))


def test_security_questions_are_not_offered_in_binzhou(binzhou, make_resident):
    assert binzhou.get(RECOVER).status_code == 404
    resident = make_resident("binzhou")
    binzhou.login(resident.id_number, resident.password)
    assert binzhou.get(QUESTIONS).status_code == 404
