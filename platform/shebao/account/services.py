"""The account rules: login, registration, recovery, passwords, registration information.

Service functions take the city explicitly and never touch ``request`` or ``session``; the
views turn their ``AccountError`` refusals into messages next to the form fields. Each
function that changes something commits once, with its audit rows, or not at all.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta

from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..audit import audit
from ..core.extensions import db
from ..core.i18n import label_text
from ..core.time import utcnow
from ..people.idnumber import InvalidIdNumber, normalise_id_number
from ..people.models import Person
from ..tenancy.city import City
from . import sms_codes
from .errors import AccountError, LockedOut
from .models import Account, LoginThrottle, SecurityAnswer
from .secrets import (
    character_classes,
    hash_secret,
    keyed_digest,
    normalise_answer,
    random_password,
    same,
    verify_secret,
)

PHONE = re.compile(r"^1[3-9][0-9]{9}$")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
MAX_PASSWORD = 64
SECURITY_QUESTIONS = (
    "您母亲的姓名是？",
    "您父亲的姓名是？",
    "您的出生地是？",
    "您小学的校名是？",
    "您配偶的姓名是？",
    "您最喜欢的一本书是？",
    "您第一份工作的单位是？",
)


def neutral_login_message() -> str:
    return _("The ID number, password or verification code is wrong.")


def _find_person(id_number: str) -> Person | None:
    """The person with this ID number in the current city's scope (None if malformed)."""
    try:
        number = normalise_id_number(id_number)
    except InvalidIdNumber:
        return None
    return db.session.scalars(select(Person).where(Person.id_number == number)).first()


def _account_of(person: Person | None) -> Account | None:
    if person is None:
        return None
    return db.session.scalars(select(Account).where(Account.person_id == person.id)).first()


def _throttle(city: City, purpose: str, id_number: str) -> LoginThrottle:
    subject = keyed_digest(purpose, city.code, (id_number or "").strip().upper())
    row = db.session.scalars(
        select(LoginThrottle).where(
            LoginThrottle.purpose == purpose, LoginThrottle.subject == subject
        )
    ).first()
    if row is None:
        row = LoginThrottle(city=city.code, purpose=purpose, subject=subject, failures=0)
        try:
            with db.session.begin_nested():
                db.session.add(row)
        except IntegrityError:  # another request created it at the same moment
            row = db.session.scalars(
                select(LoginThrottle).where(
                    LoginThrottle.purpose == purpose, LoginThrottle.subject == subject
                )
            ).one()
    return row


def _locked_message(until: datetime) -> str:
    return _(
        "Too many failed attempts. This account is locked until %(time)s. Please try again then.",
        time=format_datetime(until, "yyyy-MM-dd HH:mm"),
    )


def _check_not_locked(throttle: LoginThrottle, now: datetime) -> None:
    if throttle.locked_until and throttle.locked_until > now:
        raise LockedOut(_locked_message(throttle.locked_until), throttle.locked_until)


def _count_failure(
    city: City, throttle: LoginThrottle, now: datetime, event: str, **audit_fields
) -> None:
    """Record a failed attempt (and lock at the limit); commit; raise the right refusal."""
    lockout = city.config.auth.lockout
    throttle.failures = (throttle.failures or 0) + 1
    locked = throttle.failures >= lockout.max_failures
    if locked:
        throttle.locked_until = now + timedelta(minutes=lockout.minutes)
        throttle.failures = 0
    audit(event, **audit_fields)
    if locked:
        audit(
            f"{event.split('_')[0]}_locked",
            **{k: v for k, v in audit_fields.items() if k in ("account", "person")},
        )
    db.session.commit()
    if locked:
        raise LockedOut(_locked_message(throttle.locked_until), throttle.locked_until)


def authenticate(city: City, id_number: str, password: str) -> Account:
    """The account for a right ID number and password; a neutral refusal otherwise."""
    now = utcnow()
    throttle = _throttle(city, "login", id_number)
    _check_not_locked(throttle, now)
    person = _find_person(id_number)
    account = _account_of(person)
    default = city.config.auth.default_password
    uses_default = (
        person is not None
        and default is not None
        and (account is None or account.password_hash is None)
    )
    if account is not None and account.password_hash:
        ok = verify_secret(account.password_hash, password)
    else:
        verify_secret(None, password)  # same cost whether or not the person exists
        ok = uses_default and same(password, default.password)
    if not ok:
        _count_failure(city, throttle, now, "login_failed", account=account, person=person)
        raise AccountError(neutral_login_message())
    throttle.failures = 0
    throttle.locked_until = None
    if account is None:
        account = Account(
            city=city.code,
            person=person,
            origin="default",
            phone=person.phone,
            must_change_password=default.force_change,
        )
        db.session.add(account)
        db.session.flush()
    elif uses_default and default.force_change:
        account.must_change_password = True
    audit("login", account=account)
    db.session.commit()
    return account


def check_password_policy(
    city: City, password: str, id_number: str, field: str = "password"
) -> None:
    policy = city.config.auth.password_policy
    default = city.config.auth.default_password
    if default is not None and password == default.password:
        raise AccountError(_("The initial password cannot be used as your own password."), field)
    if len(password) < policy.min_length:
        raise AccountError(
            _("The password must have at least %(n)s characters.", n=policy.min_length), field
        )
    if len(password) > MAX_PASSWORD:
        raise AccountError(
            _("The password must have at most %(n)s characters.", n=MAX_PASSWORD), field
        )
    if character_classes(password) < policy.min_classes:
        raise AccountError(
            _(
                "The password must mix at least %(n)s of: lower-case letters, upper-case letters, digits, "
                "other characters.",
                n=policy.min_classes,
            ),
            field,
        )
    if password.upper() == (id_number or "").upper() or (id_number and id_number[-6:] == password):
        raise AccountError(_("The password must not be your ID number or part of it."), field)


def _set_password(account: Account, password: str) -> None:
    account.password_hash = hash_secret(password)
    account.must_change_password = False
    account.password_changed_at = utcnow()
    account.session_epoch = (account.session_epoch or 0) + 1  # ends every other session


def change_password(city: City, account: Account, old: str, new: str, confirm: str) -> None:
    if account.password_hash:
        old_ok = verify_secret(account.password_hash, old)
    else:
        default = city.config.auth.default_password
        old_ok = default is not None and same(old, default.password)
    if not old_ok:
        raise AccountError(_("The current password is wrong."), "old_password")
    if new != confirm:
        raise AccountError(_("The two new passwords are not the same."), "confirm")
    check_password_policy(city, new, account.person.id_number, "new_password")
    if new == old:
        raise AccountError(_("The new password must differ from the current one."), "new_password")
    _set_password(account, new)
    audit("password_changed", account=account)
    db.session.commit()


def _identity_mismatch() -> AccountError:
    return AccountError(
        _(
            "The details you entered do not match the records of an insured person of "
            "this city. Please check them."
        )
    )


def _reserve_phone_message() -> AccountError:
    return AccountError(
        _(
            "The ID number, name and mobile number do not match the number reserved at the service hall. "
            "If you have not reserved a mobile number, please bring your ID card to a social insurance "
            "service hall to reserve one, then register."
        ),
        "phone",
    )


def _registrant(city: City, id_number: str, name: str) -> Person:
    person = _find_person(id_number)
    if person is None or person.name != (name or "").strip():
        verify_secret(None, "timing")
        raise _identity_mismatch()
    return person


def _already_registered() -> AccountError:
    return AccountError(
        _('This person already has an account. Please log in, or use "Forgot password".')
    )


def send_registration_code(city: City, id_number: str, name: str, phone: str) -> None:
    person = _find_person(id_number)
    if (
        person is None
        or person.name != (name or "").strip()
        or not person.phone
        or person.phone != phone
    ):
        raise _reserve_phone_message()
    if _account_of(person) is not None:
        raise _already_registered()
    sms_codes.send_code(city, phone, "register")


def register(
    city: City,
    method: str,
    *,
    id_number: str,
    name: str,
    password: str,
    confirm: str,
    phone: str,
    email: str | None = None,
    card_number: str | None = None,
    code: str | None = None,
) -> Account:
    registration = city.config.auth.registration
    if registration is None or method not in registration.methods:
        raise AccountError(_("This way of registering is not offered here."))
    if method == "card":
        person = _registrant(city, id_number, name)
        if (
            not person.card_number
            or person.card_number.upper() != (card_number or "").strip().upper()
        ):
            raise AccountError(
                _("The social security card number does not match your records."), "card_number"
            )
    else:
        person = _find_person(id_number)
        if (
            person is None
            or person.name != (name or "").strip()
            or not person.phone
            or person.phone != phone
        ):
            raise _reserve_phone_message()
    if _account_of(person) is not None:
        raise _already_registered()
    if password != confirm:
        raise AccountError(_("The two passwords are not the same."), "confirm")
    check_password_policy(city, password, person.id_number)
    if email and not EMAIL.match(email):
        raise AccountError(_("Enter a valid e-mail address, such as name@example.com."), "email")
    if method == "sms" and not sms_codes.verify_code(city, phone, "register", code or ""):
        raise AccountError(_("The SMS code is wrong or has expired. Ask for a new code."), "code")
    account = Account(
        city=city.code, person=person, origin=method, phone=phone, email=email or None
    )
    _set_password(account, password)
    db.session.add(account)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise _already_registered() from None
    audit("registered", account=account, method=method)
    db.session.commit()
    return account


def reset_password_by_sms(city: City, id_number: str, phone: str) -> None:
    """Send a new random password when the pair matches; say nothing either way."""
    person = _find_person(id_number)
    account = _account_of(person)
    reserved = {p for p in (getattr(account, "phone", None), getattr(person, "phone", None)) if p}
    if account is None or phone not in reserved:
        hash_secret("same-work-either-way")
        audit("password_reset_refused", person=person)
        db.session.commit()
        return
    password = random_password(max(10, city.config.auth.password_policy.min_length))
    text = _(
        "[%(portal)s] Your password has been reset. Your new password is %(password)s. "
        "Please log in and change it.",
        portal=label_text(city.config.name),
        password=password,
    )
    try:
        sms_codes.send_message(city, phone, text, "reset")
    except AccountError:
        db.session.rollback()
        return  # over the phone's limit: nothing changes, and the answer stays the same
    _set_password(account, password)
    account.must_change_password = True
    audit("password_reset", account=account, channel="sms")
    db.session.commit()


def change_registration_info(
    city: City, account: Account, phone: str, email: str, code: str | None
) -> None:
    phone = (phone or "").strip()
    email = (email or "").strip()
    if not PHONE.match(phone):
        raise AccountError(_("Enter an 11-digit mobile number."), "phone")
    if email and not EMAIL.match(email):
        raise AccountError(_("Enter a valid e-mail address, such as name@example.com."), "email")
    changed = []
    if phone != account.phone:
        if not sms_codes.verify_code(city, phone, "change_phone", code or ""):
            raise AccountError(
                _("The SMS code is wrong or has expired. Ask for a new code."), "code"
            )
        account.phone = phone
        changed.append("phone")
    if (email or None) != account.email:
        account.email = email or None
        changed.append("email")
    if changed:
        audit("registration_info_changed", account=account, fields=changed)
    db.session.commit()


def send_phone_change_code(city: City, account: Account, phone: str) -> None:
    phone = (phone or "").strip()
    if not PHONE.match(phone):
        raise AccountError(_("Enter an 11-digit mobile number."), "phone")
    if phone == account.phone:
        raise AccountError(_("This is already your mobile number."), "phone")
    sms_codes.send_code(city, phone, "change_phone")


def set_security_questions(
    city: City, account: Account, password: str, pairs: list[tuple[str, str]]
) -> None:
    if account.password_hash:
        ok = verify_secret(account.password_hash, password)
    else:
        ok = False
    if not ok:
        raise AccountError(_("The current password is wrong."), "password")
    pairs = [(q, a) for q, a in pairs if q or a]
    if not 1 <= len(pairs) <= 3:
        raise AccountError(_("Choose one to three questions and answer each."))
    questions = [q for q, _ in pairs]
    if len(set(questions)) != len(questions):
        raise AccountError(_("Choose a different question for each answer."))
    for position, (question, answer) in enumerate(pairs, start=1):
        if question not in SECURITY_QUESTIONS:
            raise AccountError(_("Choose a question from the list."), f"question{position}")
        if not 2 <= len(normalise_answer(answer)) <= 50:
            raise AccountError(_("Each answer must have 2 to 50 characters."), f"answer{position}")
    account.security_answers.clear()
    db.session.flush()
    for position, (question, answer) in enumerate(pairs, start=1):
        account.security_answers.append(
            SecurityAnswer(
                city=city.code,
                position=position,
                question=question,
                answer_hash=hash_secret(normalise_answer(answer)),
            )
        )
    audit("security_questions_set", account=account, count=len(pairs))
    db.session.commit()


def recovery_questions(city: City, id_number: str) -> list[str]:
    """The questions to answer for this ID number.

    An unknown ID number, or an account without questions, gets questions chosen from the ID
    number itself, so the page never tells whether an account or its questions exist.
    """
    account = _account_of(_find_person(id_number))
    if account is not None and account.security_answers:
        return [row.question for row in account.security_answers]
    # Seeded by the number as a lookup sees it, so " 3716…x" and "3716…X" get the same made-up set.
    key = (id_number or "").strip().upper()
    seed = int(hashlib.sha256(keyed_digest("questions", city.code, key).encode()).hexdigest(), 16)
    pool = list(SECURITY_QUESTIONS)
    chosen = []
    for _unused in range(3):
        chosen.append(pool.pop(seed % len(pool)))
        seed //= 7
    return chosen


def recover_by_questions(
    city: City, id_number: str, answers: list[str], new: str, confirm: str
) -> None:
    now = utcnow()
    throttle = _throttle(city, "recover", id_number)
    _check_not_locked(throttle, now)
    person = _find_person(id_number)
    account = _account_of(person)
    stored = list(account.security_answers) if account is not None else []
    ok = bool(stored) and len(answers) == len(stored)
    for index in range(max(len(stored), 1)):
        answer = normalise_answer(answers[index] if index < len(answers) else "")
        row_hash = stored[index].answer_hash if index < len(stored) else None
        ok = verify_secret(row_hash, answer) and ok
    if not ok:
        _count_failure(city, throttle, now, "recover_failed", account=account, person=person)
        raise AccountError(_("The answers do not match. Please check them and try again."))
    if new != confirm:
        raise AccountError(_("The two new passwords are not the same."), "confirm")
    check_password_policy(city, new, person.id_number, "new_password")
    throttle.failures = 0
    throttle.locked_until = None
    _set_password(account, new)
    audit("password_reset", account=account, channel="security_questions")
    db.session.commit()
