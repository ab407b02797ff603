"""The account services answer for the city they are given, on their own.

Outside any request nothing scopes queries automatically (that safety net is installed per
request), so these calls prove the services' own filter. The two cities overlap: the same ID
number is a person with an account in Binzhou and in Dezhou (other password, other questions),
and a Binzhou person who never registered has a stray Dezhou account row on their person id
(a row no registration makes, and exactly what a lookup by person id alone would leak).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from shebao.account.errors import FailedAttempt, LockedOut
from shebao.account.models import Account, SecurityAnswer
from shebao.account.secrets import hash_secret, normalise_answer
from shebao.account.services.login import authenticate
from shebao.account.services.lookup import find_account, find_person
from shebao.account.services.recovery import recover_by_questions, recovery_questions
from shebao.core.extensions import db
from tests import factories

BINZHOU_PASSWORD, DEZHOU_PASSWORD, STRAY_PASSWORD = "Binzhou2026pw", "Dezhou2026pw", "Stray2026pw"
BINZHOU_QUESTIONS = [("您的出生地是？", "滨州")]
DEZHOU_QUESTIONS = [("您母亲的姓名是？", "王芳"), ("您父亲的姓名是？", "李强")]
STRAY_QUESTIONS = [("您小学的校名是？", "实验小学")]


def _account(city: str, person, password: str, questions) -> Account:
    account = Account(
        city=city,
        person=person,
        origin="card",
        phone=person.phone,
        password_hash=hash_secret(password),
    )
    for position, (question, answer) in enumerate(questions, start=1):
        account.security_answers.append(
            SecurityAnswer(
                city=city,
                position=position,
                question=question,
                answer_hash=hash_secret(normalise_answer(answer)),
            )
        )
    db.session.add(account)
    db.session.flush()
    return account


@pytest.fixture
def residents(app):
    with app.app_context():
        mine = factories.person("binzhou", 1, name="滨州甲")
        namesake = factories.person("dezhou", 1, name="德州甲")
        assert mine.id_number == namesake.id_number
        own = _account("binzhou", mine, BINZHOU_PASSWORD, BINZHOU_QUESTIONS)
        theirs = _account("dezhou", namesake, DEZHOU_PASSWORD, DEZHOU_QUESTIONS)
        unregistered = factories.person("binzhou", 2, name="滨州乙")
        _account("dezhou", unregistered, STRAY_PASSWORD, STRAY_QUESTIONS)
        db.session.commit()
        return SimpleNamespace(
            id_number=mine.id_number,
            person_id=mine.id,
            account_id=own.id,
            dezhou_account_id=theirs.id,
            unregistered=unregistered.id_number,
        )


@pytest.fixture
def outside_a_request(app):
    """An app context with no request: no automatic scoping, nothing committed."""
    with app.app_context():
        yield
        db.session.rollback()


def test_lookups_find_the_city_given(residents, city_of, outside_a_request):
    binzhou, dezhou = city_of("binzhou"), city_of("dezhou")
    person = find_person(binzhou, residents.id_number)
    assert (person.id, person.city) == (residents.person_id, "binzhou")
    account = find_account(binzhou, residents.id_number)
    assert (account.id, account.city) == (residents.account_id, "binzhou")
    assert find_account(dezhou, residents.id_number).id == residents.dezhou_account_id
    assert find_account(binzhou, residents.unregistered) is None


def test_recovery_questions_are_the_city_given(residents, city_of, outside_a_request):
    binzhou, dezhou = city_of("binzhou"), city_of("dezhou")
    binzhou_shown = recovery_questions(binzhou, residents.id_number)
    dezhou_shown = recovery_questions(dezhou, residents.id_number)
    # Each city shows its own account's questions, padded with decoys to three.
    assert len(binzhou_shown) == len(dezhou_shown) == 3
    assert {q for q, _a in BINZHOU_QUESTIONS} <= set(binzhou_shown)
    assert {q for q, _a in DEZHOU_QUESTIONS} <= set(dezhou_shown)
    made_up = recovery_questions(binzhou, residents.unregistered)
    assert len(made_up) == 3  # made-up questions, not the stray account's one


def test_another_citys_answers_do_not_recover_the_account(residents, city_of, outside_a_request):
    binzhou = city_of("binzhou")
    with pytest.raises(FailedAttempt):
        recover_by_questions(
            binzhou,
            residents.id_number,
            [a for _q, a in DEZHOU_QUESTIONS],
            "Newer2026pass",
            "Newer2026pass",
        )
    with pytest.raises(FailedAttempt):
        recover_by_questions(
            binzhou,
            residents.unregistered,
            [a for _q, a in STRAY_QUESTIONS],
            "Newer2026pass",
            "Newer2026pass",
        )


def test_login_checks_the_password_of_the_city_given(residents, city_of, outside_a_request):
    binzhou, dezhou = city_of("binzhou"), city_of("dezhou")
    with pytest.raises(FailedAttempt):
        authenticate(binzhou, residents.id_number, DEZHOU_PASSWORD)
    with pytest.raises(FailedAttempt):
        authenticate(binzhou, residents.unregistered, STRAY_PASSWORD)
    assert authenticate(binzhou, residents.id_number, BINZHOU_PASSWORD).id == residents.account_id
    assert authenticate(dezhou, residents.id_number, DEZHOU_PASSWORD).id == (
        residents.dezhou_account_id
    )


def test_a_lock_in_one_city_does_not_lock_the_other(residents, city_of, outside_a_request):
    binzhou, dezhou = city_of("binzhou"), city_of("dezhou")
    for _attempt in range(dezhou.config.auth.lockout.max_failures - 1):
        with pytest.raises(FailedAttempt):
            authenticate(dezhou, residents.id_number, "Wrong2026pass")
    with pytest.raises(LockedOut):
        authenticate(dezhou, residents.id_number, "Wrong2026pass")
    with pytest.raises(LockedOut):
        authenticate(dezhou, residents.id_number, DEZHOU_PASSWORD)
    assert authenticate(binzhou, residents.id_number, BINZHOU_PASSWORD).id == residents.account_id
