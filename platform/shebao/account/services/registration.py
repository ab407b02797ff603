"""Registering an account: by social security card, or by an SMS code to the reserved phone."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ...audit import audit
from ...core.extensions import db
from ...people.models import Person
from ...tenancy.city import City
from .. import sms_codes
from ..errors import AccountError, FailedAttempt
from ..models import Account
from ..secrets import verify_secret
from .lookup import EMAIL, account_of, find_person
from .passwords import check_password_policy, set_password


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


def _already_registered() -> AccountError:
    return AccountError(
        _('This person already has an account. Please log in, or use "Forgot password".')
    )


def _card_registrant(city: City, id_number: str, name: str, card_number: str | None) -> Person:
    person = find_person(city, id_number)
    if person is None or person.name != (name or "").strip():
        verify_secret(None, "timing")
        raise _identity_mismatch()
    if not person.card_number or person.card_number.upper() != (card_number or "").strip().upper():
        raise AccountError(
            _("The social security card number does not match your records."), "card_number"
        )
    return person


def _phone_registrant(city: City, id_number: str, name: str, phone: str) -> Person:
    """The person whose reserved mobile number this is (the same refusal for every mismatch)."""
    person = find_person(city, id_number)
    if (
        person is None
        or person.name != (name or "").strip()
        or not person.phone
        or person.phone != phone
    ):
        raise _reserve_phone_message()
    return person


def send_registration_code(city: City, id_number: str, name: str, phone: str) -> None:
    """Text a registration code to the person's reserved phone (within the phone's limits)."""
    person = _phone_registrant(city, id_number, name, phone)
    if account_of(city, person) is not None:
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
    """A new account for a person of this city, proven by card number or by SMS code.

    A wrong SMS code raises ``FailedAttempt``: the check it used up must be committed.
    """
    registration = city.config.auth.registration
    if registration is None or method not in registration.methods:
        raise AccountError(_("This way of registering is not offered here."))
    if method == "card":
        person = _card_registrant(city, id_number, name, card_number)
    else:
        person = _phone_registrant(city, id_number, name, phone)
    if account_of(city, person) is not None:
        raise _already_registered()
    if password != confirm:
        raise AccountError(_("The two passwords are not the same."), "confirm")
    check_password_policy(city, password, person.id_number)
    if email and not EMAIL.match(email):
        raise AccountError(_("Enter a valid e-mail address, such as name@example.com."), "email")
    if method == "sms" and not sms_codes.verify_code(city, phone, "register", code or ""):
        raise FailedAttempt(_("The SMS code is wrong or has expired. Ask for a new code."), "code")
    account = Account(
        city=city.code, person=person, origin=method, phone=phone, email=email or None
    )
    set_password(account, password)
    db.session.add(account)
    try:
        db.session.flush()
    except IntegrityError:  # registered by another request a moment ago
        # The session now needs the rollback that the view's unit of work does on a refusal.
        raise _already_registered() from None
    audit("registered", city=city.code, account=account, method=method)
    return account
