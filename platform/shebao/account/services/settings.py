"""账号设置: what a logged-in person changes about their own account."""

from __future__ import annotations

from flask_babel import gettext as _

from ...audit import audit
from ...core.extensions import db
from ...messages.kinds import MessageKind
from ...messages.services import post_message
from ...tenancy.city import City
from .. import sms_codes
from ..errors import AccountError, FailedAttempt
from ..models import Account, SecurityAnswer
from ..secrets import hash_secret, normalise_answer, same, verify_secret
from .lookup import EMAIL, PHONE
from .passwords import check_password_policy, set_password
from .recovery import QUESTIONS_SHOWN, SECURITY_QUESTIONS


def change_password(city: City, account: Account, old: str, new: str, confirm: str) -> None:
    """A new password after the current one; every other session of the account ends."""
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
    set_password(account, new)
    audit("password_changed", city=city.code, account=account)
    post_message(
        city, account.person_id, MessageKind.PASSWORD_CHANGED, link=("account.change_password", {})
    )


def send_phone_change_code(
    city: City, account: Account, phone: str, *, address: str | None
) -> bool:
    """Text a code to the new mobile number, proving the person holds it (``address``: the
    client's, for the SMS limits). False: the SMS gateway could not take the text now."""
    phone = (phone or "").strip()
    if not PHONE.match(phone):
        raise AccountError(_("Enter an 11-digit mobile number."), "phone")
    if phone == account.phone:
        raise AccountError(_("This is already your mobile number."), "phone")
    return sms_codes.send_code(city, phone, "change_phone", account=account, address=address)


def change_registration_info(
    city: City, account: Account, phone: str, email: str, code: str | None
) -> None:
    """New mobile number (with the code sent to it) and e-mail address.

    A wrong code raises ``FailedAttempt``: the check it used up must be committed.
    """
    phone = (phone or "").strip()
    email = (email or "").strip()
    if not PHONE.match(phone):
        raise AccountError(_("Enter an 11-digit mobile number."), "phone")
    if email and not EMAIL.match(email):
        raise AccountError(_("Enter a valid e-mail address, such as name@example.com."), "email")
    changed = []
    if phone != account.phone:
        if not sms_codes.verify_code(city, phone, "change_phone", code or ""):
            raise FailedAttempt(
                _("The SMS code is wrong or has expired. Ask for a new code."), "code"
            )
        account.phone = phone
        changed.append("phone")
    if (email or None) != account.email:
        account.email = email or None
        changed.append("email")
    if changed:
        audit("registration_info_changed", city=city.code, account=account, fields=changed)


def set_security_questions(
    city: City, account: Account, password: str, pairs: list[tuple[str, str]]
) -> None:
    """密码保护: exactly three (question, answer) pairs replace the old ones.

    Always three, so that the recovery page, which shows three questions for every ID number,
    asks only real questions of accounts set up from now on.
    """
    ok = bool(account.password_hash) and verify_secret(account.password_hash, password)
    if not ok:
        raise AccountError(_("The current password is wrong."), "password")
    pairs = [(q, a) for q, a in pairs if q or a]
    if len(pairs) != QUESTIONS_SHOWN or not all(q and a for q, a in pairs):
        raise AccountError(
            _("Choose three different questions and write an answer to each of them.")
        )
    questions = [q for q, _answer in pairs]
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
    audit("security_questions_set", city=city.code, account=account, count=len(pairs))
