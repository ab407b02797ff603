"""One factory per city-owned model: ``FACTORIES[Model](city, seq)`` adds a valid row.

The isolation test walks every model that mixes in ``CityScoped`` and fails when one has no
factory here, so a new city-owned table cannot skip the isolation proof.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from shebao.account.models import Account, CaptchaChallenge, LoginThrottle, SecurityAnswer, SmsCode
from shebao.audit import AuditEvent
from shebao.core.extensions import db
from shebao.people.idnumber import make_id_number
from shebao.people.models import Person, PersonInsurance

SOON = datetime(2030, 1, 1, tzinfo=UTC)


def person(city: str, seq: int = 1, **values) -> Person:
    row = Person(
        city=city,
        id_number=make_id_number("371602", date(1980, 1, 1 + seq % 28), seq),
        name=values.pop("name", f"测试{seq}"),
        sex="M" if seq % 2 else "F",
        birth_date=date(1980, 1, 1 + seq % 28),
        phone=values.pop("phone", f"1380000{seq:04d}"),
        card_number=values.pop("card_number", f"T{seq:08d}"),
        category=values.pop("category", "employee"),
        employer=values.pop("employer", "测试单位"),
        **values,
    )
    db.session.add(row)
    db.session.flush()
    # make_id_number derives sex from the sequence digit; keep the row consistent with it.
    row.sex = "M" if int(row.id_number[16]) % 2 else "F"
    return row


def person_insurance(city: str, seq: int = 1) -> PersonInsurance:
    owner = person(city, seq)
    row = PersonInsurance(
        city=city,
        person=owner,
        insurance_type="pension",
        status="active",
        first_insured=date(2005, 1, 1),
    )
    db.session.add(row)
    db.session.flush()
    return row


def _add(row):
    db.session.add(row)
    db.session.flush()
    return row


def account(city: str, seq: int = 1) -> Account:
    return _add(
        Account(
            city=city,
            person=person(city, seq),
            origin="card",
            phone="13800000000",
            password_hash="scrypt:not-a-real-hash",
        )
    )


def security_answer(city: str, seq: int = 1) -> SecurityAnswer:
    return _add(
        SecurityAnswer(
            city=city, account=account(city, seq), position=1, question="q", answer_hash="h"
        )
    )


def login_throttle(city: str, seq: int = 1) -> LoginThrottle:
    return _add(LoginThrottle(city=city, purpose="login", subject=f"subject-{seq}", failures=1))


def captcha_challenge(city: str, seq: int = 1) -> CaptchaChallenge:
    return _add(
        CaptchaChallenge(city=city, token=f"token-{city}-{seq}", answer_hash="h", expires_at=SOON)
    )


def sms_code(city: str, seq: int = 1) -> SmsCode:
    return _add(
        SmsCode(
            city=city,
            phone="13800000000",
            purpose="register",
            code_hash="h",
            expires_at=SOON,
            created_at=SOON - timedelta(days=1),
        )
    )


def audit_event(city: str, seq: int = 1) -> AuditEvent:
    return _add(AuditEvent(city=city, event="test", detail={"seq": seq}))


FACTORIES: dict = {
    Person: person,
    PersonInsurance: person_insurance,
    Account: account,
    SecurityAnswer: security_answer,
    LoginThrottle: login_throttle,
    CaptchaChallenge: captcha_challenge,
    SmsCode: sms_code,
    AuditEvent: audit_event,
}


def _module_factories() -> None:
    """Each feature module's tests add theirs in ``tests/factories_<module>.py`` (a FACTORIES dict)."""
    import importlib
    from pathlib import Path

    for path in sorted(Path(__file__).parent.glob("factories_*.py")):
        FACTORIES.update(importlib.import_module(f"tests.{path.stem}").FACTORIES)


_module_factories()
