"""Registering an account: by social security card, or by an SMS code to the reserved phone.

Nothing here tells someone not logged in whether a person or an account exists:

- by card, every failure of the identity check (unknown ID number, another name, another card
  number, a person who already has an account) gets the one neutral refusal, after the same
  work (one lookup query, one password hash); a person who already has an account is told so
  by an SMS to the mobile number on record, never on the page;
- by phone, asking for a code with details that match a reserved phone answers the same
  whether or not the person has an account (an account holder's phone gets a notice instead of
  a code), and "already registered" shows on the page only after the SMS code proved the phone.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ...audit import audit
from ...core.extensions import db
from ...core.i18n import label_text
from ...people.idnumber import mask_id_number
from ...people.models import Person
from ...tenancy.city import City
from .. import sms_codes
from ..errors import AccountError, FailedAttempt
from ..models import Account
from ..secrets import hash_secret, same
from .lookup import EMAIL, person_and_account
from .passwords import check_password_policy, store_password_hash


def _card_refusal() -> FailedAttempt:
    """The one answer to every failed card registration: it never says which check failed."""
    return FailedAttempt(
        _(
            "We could not register an account with these details. Please check the ID number, "
            "the name and the social security card number. If this person already has an "
            "account, a text message about it has been sent to the mobile number on record."
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


def _already_registered() -> FailedAttempt:
    """Shown only to whoever proved the reserved phone with its SMS code."""
    return FailedAttempt(
        _('This person already has an account. Please log in, or use "Forgot password".')
    )


def _text(value: str | None) -> str:
    return (value or "").strip()


def _card_matches(person: Person | None, name: str, card_number: str | None) -> bool:
    """Name and card number compared in constant time, and compared even for no person."""
    name_ok = same(_text(person.name if person else None), _text(name))
    card_ok = same(
        _text(person.card_number if person else None).upper(), _text(card_number).upper()
    )
    return person is not None and bool(person.card_number) and name_ok and card_ok


def _phone_matches(person: Person | None, name: str, phone: str) -> bool:
    """Whether this is the person's name and the mobile number they reserved at the hall."""
    return (
        person is not None
        and person.name == _text(name)
        and bool(person.phone)
        and person.phone == phone
    )


def _notify_already_registered(
    city: City, person: Person, account: Account, address: str | None
) -> bool:
    """Tell the account holder, on their own phone, that someone tried to register again.

    Sent to the mobile number reserved at the hall (else the account's own), never to a number
    typed on the form; within the SMS limits (over them, the limit error propagates). It counts
    as the anonymous request it answers, like a registration code (``account=None``): a limit
    of the account would show a refusal that a code request never gets, telling it exists.
    """
    phone = person.phone or account.phone
    if not phone:
        return True
    text = _(
        "[%(portal)s] Someone tried to register an account for the ID number %(id_number)s, "
        'which already has one. Log in with it, or use "Forgot password" on the login page to '
        "get a new password. If this was not you, you can ignore this message.",
        portal=label_text(city.config.name),
        id_number=mask_id_number(person.id_number),
    )
    return sms_codes.send_message(city, phone, text, "registered", account=None, address=address)


def send_registration_code(
    city: City, id_number: str, name: str, phone: str, *, address: str | None
) -> bool:
    """Text a registration code to the person's reserved phone (within the phone's limits),
    asked for from the client ``address``. False: the SMS gateway could not take the text now.

    A person who already has an account gets a notice saying so on that phone instead, and the
    answer here is the same as for a code.
    """
    person, account = person_and_account(city, id_number)
    if not _phone_matches(person, name, phone):
        raise _reserve_phone_message()
    if account is not None:
        sent = _notify_already_registered(city, person, account, address)
        audit("registration_refused", city=city.code, person=person, reason="registered")
        return sent
    return sms_codes.send_code(city, phone, "register", account=None, address=address)


def _check_inputs(city: City, id_number: str, password: str, confirm: str, email: str | None):
    """What the form alone decides (nothing here depends on who the person is)."""
    if password != confirm:
        raise AccountError(_("The two passwords are not the same."), "confirm")
    check_password_policy(city, password, _text(id_number).upper())
    if email and not EMAIL.match(email):
        raise AccountError(_("Enter a valid e-mail address, such as name@example.com."), "email")


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
    address: str | None,
) -> Account:
    """A new account for a person of this city, proven by card number or by SMS code
    (``address``: the client's, for the limits of a notice SMS).

    Raises ``FailedAttempt`` for a failed identity check or a wrong SMS code: the view commits
    the attempt (its audit row, the notice SMS, the code check used up) before the refusal.
    From the identity check on, every path hashes the password once, whatever the outcome.
    """
    registration = city.config.auth.registration
    if registration is None or method not in registration.methods:
        raise AccountError(_("This way of registering is not offered here."))
    _check_inputs(city, id_number, password, confirm, email)
    password_hash = hash_secret(password)
    person, account = person_and_account(city, id_number)
    if method == "card":
        proven = _card_matches(person, name, card_number)
        if not proven or account is not None:
            if proven:
                try:
                    _notify_already_registered(city, person, account, address)
                except AccountError:
                    pass  # over an SMS limit: the answer stays the same
            reason = "registered" if proven else "mismatch"
            audit("registration_refused", city=city.code, person=person, reason=reason)
            raise _card_refusal()
    else:
        if not _phone_matches(person, name, phone):
            raise _reserve_phone_message()
        if not sms_codes.verify_code(city, phone, "register", code or ""):
            raise FailedAttempt(
                _("The SMS code is wrong or has expired. Ask for a new code."), "code"
            )
        if account is not None:
            raise _already_registered()
    account = Account(
        city=city.code, person=person, origin=method, phone=phone, email=email or None
    )
    store_password_hash(account, password_hash)
    db.session.add(account)
    try:
        db.session.flush()
    except IntegrityError:  # registered by another request a moment ago
        # The session now needs the rollback that the view's unit of work does on a refusal.
        refusal = _card_refusal() if method == "card" else _already_registered()
        raise AccountError(refusal.message, refusal.field) from None
    audit("registered", city=city.code, account=account, method=method)
    return account
