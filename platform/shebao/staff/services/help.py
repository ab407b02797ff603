"""Resident help at the service hall (role ``service``): look a resident up by the full ID
number, see the account's state, unlock a lockout, reset the password the city's way.

Each action needs a written reason and is audited with it. The full ID number is typed once;
every page after shows it masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from ...account.errors import AccountError
from ...account.models import Account, AccountSession
from ...account.services.lockout import locked_until, unlock
from ...account.services.lookup import person_and_account
from ...account.services.recovery import reset_by_service_hall
from ...core.extensions import db
from ...people.idnumber import InvalidIdNumber, normalise_id_number
from ...people.models import Person
from ...tenancy.city import City
from ..models import StaffMember
from .auditing import record, require_reason
from .errors import StaffError
from .work import Notice


@dataclass(frozen=True)
class AccountState:
    person: Person
    account: Account | None
    locked_until: datetime | None
    last_login: datetime | None
    recovery: list[str]


def find_resident(city: City, id_number: str) -> Person:
    """The city's person with this full ID number; StaffError when malformed or unknown."""
    try:
        number = normalise_id_number(id_number)
    except InvalidIdNumber:
        raise StaffError(
            _("Enter the full ID number: 18 characters, 17 digits and a digit or X."), "id_number"
        ) from None
    person, _account = person_and_account(city, number)
    if person is None:
        raise StaffError(_("No insured person with this ID number in this city."), "id_number")
    return person


def person_in_city(city: City, person_id: int) -> Person:
    person = db.session.scalar(
        select(Person).where(Person.city == city.code, Person.id == person_id)
    )
    if person is None:
        raise StaffError(_("No such resident in this city."))
    return person


def account_state(city: City, person: Person) -> AccountState:
    _person, account = person_and_account(city, person.id_number)
    last_login = None
    recovery = []
    if account is not None:
        last_login = db.session.scalar(
            select(func.max(AccountSession.created_at)).where(
                AccountSession.city == city.code, AccountSession.account_id == account.id
            )
        )
        if account.phone or person.phone:
            recovery.append("phone")
        if account.security_answers:
            recovery.append("questions")
    return AccountState(person, account, locked_until(city, person.id_number), last_login, recovery)


def unlock_resident(city: City, staff: StaffMember, person: Person, reason: str) -> bool:
    reason = require_reason(reason)
    cleared = unlock(city, person.id_number)
    record("resident_unlocked", city, staff, person=person, reason=reason, cleared=cleared)
    return cleared


def reset_resident_password(
    city: City, staff: StaffMember, person: Person, reason: str
) -> tuple[str, Notice | None]:
    """Reset the password the city's way (``default`` or ``sms``); the notice (the new
    password by SMS) is sent by the view after the commit."""
    reason = require_reason(reason)
    _person, account = person_and_account(city, person.id_number)
    if account is None:
        raise StaffError(_("This resident has no account here, so there is no password to reset."))
    try:
        how, phone, text = reset_by_service_hall(city, account)
    except AccountError as error:
        raise StaffError(error.message) from None
    record("resident_password_reset", city, staff, person=person, reason=reason, how=how)
    return how, (Notice(phone, text) if text else None)
