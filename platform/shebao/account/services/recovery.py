"""A forgotten password: a new one by SMS to the reserved phone, or set after answering the
password-protection questions. Neither way tells whether an account exists.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from itertools import permutations

from flask_babel import gettext as _

from ...audit import audit
from ...core.i18n import label_text
from ...core.time import utcnow
from ...messages.kinds import MessageKind
from ...messages.services import post_message
from ...tenancy.city import City
from .. import sms_codes
from ..errors import AccountError, FailedAttempt
from ..models import Account
from ..questions import SECURITY_QUESTIONS, question_label
from ..secrets import hash_secret, keyed_digest, normalise_answer, random_password, verify_secret
from .lockout import check_not_locked, clear_failures, count_failure, throttle_for
from .lookup import find_account, person_and_account
from .passwords import check_password_policy, drop_sent_password, set_password

#: A question shown on the recovery page and the hash of its answer (None: made up).
Slot = tuple[str, str | None]


#: How long a password sent by SMS can be used for its first login.
SENT_PASSWORD_VALID = timedelta(hours=24)
#: The recovery page always shows this many questions (every account sets exactly three now;
#: older accounts with fewer get made-up ones added, whose answers are never checked).
QUESTIONS_SHOWN = 3


def reset_password_by_sms(city: City, id_number: str, phone: str, *, address: str | None) -> None:
    """Send a new random password when the pair matches; say nothing either way (``address``:
    the client's, for the SMS limits).

    The password sent is pending (hashed, valid ``SENT_PASSWORD_VALID``): the old password
    keeps working until the new one is first used to log in, so whoever knows an ID number and
    its reserved mobile cannot lock the resident out of their own password. The same hash is
    computed whether or not the pair matched.
    """
    now = utcnow()
    person, account = person_and_account(city, id_number)
    reserved = {p for p in (getattr(account, "phone", None), getattr(person, "phone", None)) if p}
    password = random_password(max(10, city.config.auth.password_policy.min_length))
    password_hash = hash_secret(password)
    if account is None or phone not in reserved:
        audit("password_reset_refused", city=city.code, person=person)
        return
    hours = int(SENT_PASSWORD_VALID.total_seconds() // 3600)
    text = _(
        "[%(portal)s] Your new password is %(password)s, valid for %(hours)s hours. Your old "
        "password keeps working until you log in with the new one; then you must set your own. "
        "If you did not ask for it, ignore this message.",
        portal=label_text(city.config.name),
        password=password,
        hours=hours,
    )
    try:
        # Not sent now (the gateway failed, the text is kept for an operator): the answer stays
        # the same, and the password is still set, so that a resent text works.
        sms_codes.send_message(
            city,
            phone,
            text,
            "reset",
            account=account,
            address=address,
            valid_until=now + SENT_PASSWORD_VALID,
        )
    except AccountError:
        return  # over an SMS limit: nothing changes, and the answer stays the same
    account.sent_password_hash = password_hash
    account.sent_password_expires_at = now + SENT_PASSWORD_VALID
    audit("password_reset", city=city.code, account=account, channel="sms")
    _tell_reset(city, account)


def _made_up_seed(city: City, id_number: str) -> int:
    # Seeded by the number as a lookup sees it, so " 3716…x" and "3716…X" get the same made-up set.
    key = (id_number or "").strip().upper()
    return int(hashlib.sha256(keyed_digest("questions", city.code, key).encode()).hexdigest(), 16)


def _question_slots(city: City, id_number: str, account: Account | None) -> list[Slot]:
    """The questions the recovery page shows for this ID number, each with the hash its answer
    must match (None for a made-up question, whose answer is never checked).

    Always ``QUESTIONS_SHOWN`` of them: an unknown ID number or an account without questions
    gets a made-up set, an account with fewer gets made-up ones mixed in. Made-up questions
    are chosen and placed from a keyed digest of the ID number, so they are the same at every
    visit and the page never tells a made-up question from a real one.
    """
    real = [(row.question, row.answer_hash) for row in account.security_answers] if account else []
    if len(real) >= QUESTIONS_SHOWN:
        return real[:QUESTIONS_SHOWN]
    seed = _made_up_seed(city, id_number)
    pool = [q for q in SECURITY_QUESTIONS if q not in {question for question, _h in real}]
    slots: list[Slot] = list(real)
    while len(slots) < QUESTIONS_SHOWN:
        slots.append((pool.pop(seed % len(pool)), None))
        seed //= 7
    orders = list(permutations(range(QUESTIONS_SHOWN)))
    return [slots[i] for i in orders[seed % len(orders)]]


def recovery_questions(city: City, id_number: str) -> list[str]:
    """The questions to answer for this ID number (always ``QUESTIONS_SHOWN``), in the
    visitor's language."""
    account = find_account(city, id_number)
    return [question_label(q) for q, _hash in _question_slots(city, id_number, account)]


def recover_by_questions(
    city: City, id_number: str, answers: list[str], new: str, confirm: str
) -> None:
    """Set a new password after the right answers to the account's own questions.

    ``answers`` are in the order of ``recovery_questions``; those to made-up questions are not
    looked at, but cost the same hash check. Wrong answers raise ``FailedAttempt``
    (``LockedOut`` at the limit) after counting the failure, which the caller commits.
    """
    now = utcnow()
    throttle = throttle_for(city, "recover", id_number)
    check_not_locked(throttle, now)
    person, account = person_and_account(city, id_number)
    slots = _question_slots(city, id_number, account)
    ok = any(answer_hash for _question, answer_hash in slots)
    for index, (_question, answer_hash) in enumerate(slots):
        answer = normalise_answer(answers[index] if index < len(answers) else "")
        matched = verify_secret(answer_hash, answer)  # a made-up question costs the same
        if answer_hash is not None:
            ok = matched and ok
    if not ok:
        count_failure(city, throttle, now, "recover_failed", account=account, person=person)
        raise FailedAttempt(_("The answers do not match. Please check them and try again."))
    if new != confirm:
        raise AccountError(_("The two new passwords are not the same."), "confirm")
    check_password_policy(city, new, person.id_number, "new_password")
    clear_failures(throttle)
    set_password(account, new)
    audit("password_reset", city=city.code, account=account, channel="security_questions")
    _tell_reset(city, account)


def _tell_reset(city: City, account: Account) -> None:
    post_message(
        city, account.person_id, MessageKind.PASSWORD_RESET, link=("account.change_password", {})
    )


def reset_by_service_hall(city: City, account: Account) -> tuple[str, str | None, str | None]:
    """Reset a resident's password at the service hall, the city's way.

    A default-password city: back to the default password, with a forced change at the next
    login. Otherwise: a new password sent to the reserved phone (pending, like 忘记密码: valid
    ``SENT_PASSWORD_VALID``, then the resident must set their own). Every session of the
    account ends either way. Returns (``default`` or ``sms``, the phone, the text to send after
    the commit); AccountError when the city has no way (no default, no reserved phone).
    """
    default = city.config.auth.default_password
    if default is not None:
        account.password_hash = None
        account.must_change_password = default.force_change
        account.session_epoch = (account.session_epoch or 0) + 1
        account.password_changed_at = utcnow()
        drop_sent_password(account)
        _tell_reset(city, account)
        return "default", None, None
    phone = account.phone or account.person.phone
    if not phone:
        raise AccountError(
            _("This resident has no reserved mobile number: record one before resetting."),
        )
    password = random_password(max(10, city.config.auth.password_policy.min_length))
    account.sent_password_hash = hash_secret(password)
    account.sent_password_expires_at = utcnow() + SENT_PASSWORD_VALID
    account.session_epoch = (account.session_epoch or 0) + 1
    hours = int(SENT_PASSWORD_VALID.total_seconds() // 3600)
    text = _(
        "[%(portal)s] At your request the service hall reset your password. Your new password "
        "is %(password)s, valid for %(hours)s hours; after logging in you must set your own.",
        portal=label_text(city.config.name),
        password=password,
        hours=hours,
    )
    _tell_reset(city, account)
    return "sms", phone, text
