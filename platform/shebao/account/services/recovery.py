"""A forgotten password: a new one by SMS to the reserved phone, or set after answering the
password-protection questions. Neither way tells whether an account exists.
"""

from __future__ import annotations

import hashlib

from flask_babel import gettext as _

from ...audit import audit
from ...core.i18n import label_text
from ...core.time import utcnow
from ...tenancy.city import City
from .. import sms_codes
from ..errors import AccountError, FailedAttempt
from ..secrets import hash_secret, keyed_digest, normalise_answer, random_password, verify_secret
from .lockout import check_not_locked, clear_failures, count_failure, throttle_for
from .lookup import account_of, find_account, find_person
from .passwords import check_password_policy, set_password

SECURITY_QUESTIONS = (
    "您母亲的姓名是？",
    "您父亲的姓名是？",
    "您的出生地是？",
    "您小学的校名是？",
    "您配偶的姓名是？",
    "您最喜欢的一本书是？",
    "您第一份工作的单位是？",
)


def reset_password_by_sms(city: City, id_number: str, phone: str) -> None:
    """Send a new random password when the pair matches; say nothing either way."""
    person = find_person(city, id_number)
    account = account_of(city, person)
    reserved = {p for p in (getattr(account, "phone", None), getattr(person, "phone", None)) if p}
    if account is None or phone not in reserved:
        hash_secret("same-work-either-way")
        audit("password_reset_refused", city=city.code, person=person)
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
        return  # over the phone's limit: nothing changes, and the answer stays the same
    set_password(account, password)
    account.must_change_password = True
    audit("password_reset", city=city.code, account=account, channel="sms")


def recovery_questions(city: City, id_number: str) -> list[str]:
    """The questions to answer for this ID number.

    An unknown ID number, or an account without questions, gets questions chosen from the ID
    number itself, so the page never tells whether an account or its questions exist.
    """
    account = find_account(city, id_number)
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
    """Set a new password after the right answers.

    Wrong answers raise ``FailedAttempt`` (``LockedOut`` at the limit) after counting the
    failure, which the caller commits.
    """
    now = utcnow()
    throttle = throttle_for(city, "recover", id_number)
    check_not_locked(throttle, now)
    person = find_person(city, id_number)
    account = account_of(city, person)
    stored = list(account.security_answers) if account is not None else []
    ok = bool(stored) and len(answers) == len(stored)
    for index in range(max(len(stored), 1)):
        answer = normalise_answer(answers[index] if index < len(answers) else "")
        row_hash = stored[index].answer_hash if index < len(stored) else None
        ok = verify_secret(row_hash, answer) and ok
    if not ok:
        count_failure(city, throttle, now, "recover_failed", account=account, person=person)
        raise FailedAttempt(_("The answers do not match. Please check them and try again."))
    if new != confirm:
        raise AccountError(_("The two new passwords are not the same."), "confirm")
    check_password_policy(city, new, person.id_number, "new_password")
    clear_failures(throttle)
    set_password(account, new)
    audit("password_reset", city=city.code, account=account, channel="security_questions")
