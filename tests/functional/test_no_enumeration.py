"""Nothing tells someone who is not logged in whether a person or an account exists.

Each check here submits the same form against different states of the database (nobody with
that ID number, another name, another card, an account already there, …) and compares what an
outsider can observe: the page (apart from its CSRF token), the status, and the work done,
counted as password-hash computations (the slow part, hence what timing would show).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import select

from shebao.account import secrets
from shebao.account.models import Account, SecurityAnswer
from shebao.core.extensions import db, limiter
from shebao.people.idnumber import make_id_number
from tests import factories
from tests.account_helpers import FORM_ERROR

CARD = "/account/register?method=card"
SMS = "/account/register?method=sms"
FORGOT = "/account/forgot-password"
RECOVER = "/account/recover"
PASSWORD = "Good2026pass"
NEW_PASSWORD = "Fresh2026word"
CSRF = re.compile(r'(name="[\w-]*csrf_token" type="hidden" value=")[^"]+"')
CAPTCHA_BUSTER = re.compile(r"captcha\.png\?r=[0-9]+")
ANSWER_INPUT = re.compile(r'<input[^>]*name="answer-answer[0-9]"')
QUESTION_LABEL = re.compile(r'<label for="answer-answer[0-9]">(.*?)</label>')
#: The ID number every case types: the factory's person 1.
ID_NUMBER = make_id_number("371602", date(1980, 1, 2), 1)
QUESTIONS = ("您母亲的姓名是？", "您的出生地是？", "您小学的校名是？")


@pytest.fixture
def hashes(monkeypatch, app):
    """Counts of scrypt computations (new hashes and checks) made by the account code."""
    counted: Counter[str] = Counter()
    generate, check = secrets.generate_password_hash, secrets.check_password_hash

    def counting_generate(*args, **kwargs):
        counted["hash"] += 1
        return generate(*args, **kwargs)

    def counting_check(*args, **kwargs):
        counted["check"] += 1
        return check(*args, **kwargs)

    with app.app_context():
        secrets.verify_secret(None, "")  # the cached dummy hash exists before anything is counted
    monkeypatch.setattr(secrets, "generate_password_hash", counting_generate)
    monkeypatch.setattr(secrets, "check_password_hash", counting_check)
    return counted


@pytest.fixture
def fresh_state(app, sms_outbox):
    """Empties every table, the outbox and the rate limits, then runs ``setup`` to make a case."""

    def make(setup):
        limiter.reset()
        outbox = app.extensions["shebao.sms"].path
        if outbox.exists():
            outbox.unlink()
        with app.app_context():
            db.session.remove()
            with db.engine.begin() as connection:
                for table in reversed(db.metadata.sorted_tables):
                    connection.execute(table.delete())
            setup()
            db.session.commit()

    return make


def person(city: str = "binzhou", **values):
    return factories.person(city, 1, **values)


def with_account(city: str = "binzhou", **values):
    owner = person(city, **values)
    account = Account(
        city=city,
        person=owner,
        origin="card",
        phone=owner.phone,
        password_hash=secrets.hash_secret(PASSWORD),
    )
    db.session.add(account)
    db.session.flush()
    return account


def with_questions(count: int):
    account = with_account("dezhou")
    for position, question in enumerate(QUESTIONS[:count], start=1):
        db.session.add(
            SecurityAnswer(
                city="dezhou",
                account_id=account.id,
                position=position,
                question=question,
                answer_hash=secrets.hash_secret("answer"),
            )
        )


def observe(response) -> tuple[int, str]:
    """What an outsider sees: the status and the page, apart from its random parts (the CSRF
    token, the captcha picture's cache buster)."""
    page = CSRF.sub(r'\1"', response.get_data(as_text=True))
    return response.status_code, CAPTCHA_BUSTER.sub("captcha.png", page)


@pytest.fixture
def run_cases(client_for, fresh_state, hashes, sms_outbox):
    """``run_cases(city, cases, submit)``: each case's setup on an empty database, then the
    submit from a new client of the city; by case, (status, page, hashing, phones texted)."""

    def run(city: str, cases: dict, submit) -> dict:
        seen = {}
        for case, setup in cases.items():
            fresh_state(setup)
            client = client_for(city)
            client.get(submit.page)  # the form page is drawn before counting
            hashes.clear()
            response = submit(client)
            seen[case] = (*observe(response), dict(hashes), [m["phone"] for m in sms_outbox()])
        return seen

    return run


class Submit:
    """POST ``data`` to ``path`` with the CSRF token of the form on ``page``."""

    def __init__(self, path: str, data: dict, page: str | None = None):
        self.path, self.data, self.page = path, data, page or path

    def __call__(self, client):
        token = re.search(
            r'name="([\w-]*csrf_token)" type="hidden" value="([^"]+)"',
            client.get(self.page).get_data(as_text=True),
        )
        return client.post(self.path, data={token.group(1): token.group(2), **self.data})


# --- registration by card ------------------------------------------------------------------


CARD_FORM = {
    "id_number": ID_NUMBER,
    "name": "测试1",
    "card_number": "T00000001",
    "phone": "13912345678",
    "email": "",
    "password": NEW_PASSWORD,
    "confirm": NEW_PASSWORD,
}


def test_every_failed_card_registration_gets_the_same_page_after_the_same_work(run_cases):
    cases = {
        "nobody with that ID number": lambda: None,
        "another name": lambda: person(name="王五"),
        "another card number": lambda: person(card_number="T99999999"),
        "no card on record": lambda: person(card_number=None),
        "a person of another city": lambda: person("dezhou"),
        "already registered": lambda: with_account(),
    }
    seen = run_cases("binzhou", cases, Submit(CARD, CARD_FORM))
    pages = {case: (status, page) for case, (status, page, _h, _s) in seen.items()}
    assert len(set(pages.values())) == 1, "the pages differ"
    status, page = pages["already registered"]
    assert status == 200 and len(FORM_ERROR.findall(page)) == 1
    assert 'class="field-error"' not in page  # no field singled out
    work = {case: counted for case, (_s, _p, counted, _o) in seen.items()}
    assert set(map(str, work.values())) == {str({"hash": 1})}, work
    # Only the account holder learns that the account exists, on the phone reserved at the hall.
    texts = {case: sent for case, (_s, _p, _h, sent) in seen.items()}
    assert texts.pop("already registered") == ["13800000001"]
    assert set(map(tuple, texts.values())) == {()}


def test_a_successful_card_registration_costs_the_same_hashing(run_cases):
    seen = run_cases(
        "binzhou",
        {"registers": lambda: person()},
        Submit(CARD, CARD_FORM),
    )
    status, _page, counted, _sent = seen["registers"]
    assert status == 302 and counted == {"hash": 1}


# --- registration by phone -----------------------------------------------------------------


def test_asking_for_a_code_answers_the_same_whether_or_not_an_account_exists(run_cases):
    form = {"id_number": ID_NUMBER, "name": "测试1", "phone": "13800000001", "send_code": "1"}
    seen = run_cases(
        "binzhou",
        {"no account yet": lambda: person(), "already registered": lambda: with_account()},
        Submit(SMS, form),
    )
    assert seen["no account yet"][:2] == seen["already registered"][:2]
    assert "该人员已注册账号" not in html.unescape(seen["already registered"][1])
    # Each got one text on the reserved phone: a code, or the notice that an account exists.
    assert seen["no account yet"][3] == seen["already registered"][3] == ["13800000001"]


def test_registering_by_phone_hashes_once_whatever_fails(run_cases):
    form = {
        "id_number": ID_NUMBER,
        "name": "测试1",
        "phone": "13800000001",
        "code": "123456",
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
    }
    seen = run_cases(
        "binzhou",
        {
            "nobody": lambda: None,
            "wrong code": lambda: person(),
            "already registered, wrong code": lambda: with_account(),
        },
        Submit(SMS, form),
    )
    assert {case: counted for case, (_s, _p, counted, _o) in seen.items()} == {
        case: {"hash": 1} for case in seen
    }
    # Without a right code, an existing account looks like any other wrong code.
    assert seen["wrong code"][:2] == seen["already registered, wrong code"][:2]


# --- recovery by security questions --------------------------------------------------------


def test_the_recovery_page_always_shows_three_questions_and_checks_three_answers(run_cases):
    cases = {
        "unknown ID number": lambda: None,
        "no questions": lambda: with_account("dezhou"),
        "one question": lambda: with_questions(1),
        "two questions": lambda: with_questions(2),
        "three questions": lambda: with_questions(3),
    }
    start = run_cases(
        "dezhou",
        cases,
        Submit(RECOVER, {"start-id_number": ID_NUMBER}),
    )
    shapes = set()
    for case, (status, page, _counted, _sent) in start.items():
        labels = QUESTION_LABEL.findall(page)
        assert status == 200 and len(ANSWER_INPUT.findall(page)) == 3, case
        assert len(set(labels)) == 3, case
        shapes.add(QUESTION_LABEL.sub("<label>", page))
    assert len(shapes) == 1, "the pages differ in more than the question texts"
    assert set(QUESTIONS[:1]) <= set(QUESTION_LABEL.findall(start["one question"][1]))
    assert set(QUESTION_LABEL.findall(start["three questions"][1])) == set(QUESTIONS)

    answers = {
        "answer-id_number": ID_NUMBER,
        "answer-answer1": "wrong",
        "answer-answer2": "wrong",
        "answer-answer3": "wrong",
        "answer-new_password": NEW_PASSWORD,
        "answer-confirm": NEW_PASSWORD,
    }
    answered = run_cases("dezhou", cases, Submit(RECOVER, answers))
    refusals = {case: FORM_ERROR.findall(page) for case, (_s, page, _h, _o) in answered.items()}
    assert len({str(r) for r in refusals.values()}) == 1 and all(refusals.values())
    work = {case: counted for case, (_s, _p, counted, _o) in answered.items()}
    assert work == {case: {"check": 3} for case in cases}


# --- forgot password and login -------------------------------------------------------------


def test_forgot_password_does_the_same_hashing_whether_or_not_the_pair_matched(run_cases):
    seen = run_cases(
        "binzhou",
        {
            "nobody": lambda: None,
            "no account": lambda: person(),
            "another phone": lambda: with_account(phone="13900000000"),
            "match": lambda: with_account(),
        },
        Submit(FORGOT, {"id_number": ID_NUMBER, "phone": "13800000001"}),
    )
    assert len({page for _s, page, _h, _o in seen.values()}) == 1
    assert {case: counted for case, (_s, _p, counted, _o) in seen.items()} == {
        case: {"hash": 1} for case in seen
    }
    assert seen["match"][3] == ["13800000001"]


def test_a_wrong_login_costs_the_same_with_or_without_an_account_or_a_sent_password(
    client_for, fresh_state, hashes, sms_outbox, app
):
    def with_sent_password():
        account = with_account()
        account.sent_password_hash = secrets.hash_secret("Sent2026word")
        account.sent_password_expires_at = factories.SOON

    cases = {
        "nobody": lambda: None,
        "no account": lambda: person(),
        "account": lambda: with_account(),
        "account with a sent password": with_sent_password,
    }
    seen = {}
    for case, setup in cases.items():
        fresh_state(setup)
        client = client_for("binzhou")
        client.get("/account/captcha.png")
        hashes.clear()
        page = client.submit(
            "/account/login", {"id_number": ID_NUMBER, "password": "Wrong2026pw", "captcha": "test"}
        )
        seen[case] = (*observe(page), dict(hashes))
    assert len({page for _s, page, _h in seen.values()}) == 1
    assert {case: counted for case, (_s, _p, counted) in seen.items()} == {
        case: {"check": 2} for case in cases
    }
    with app.app_context():
        assert db.session.scalars(select(Account.sent_password_hash)).one()  # still pending
