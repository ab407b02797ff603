"""Logging in: ID number and password (or the city's default password), with lockout."""

from __future__ import annotations

from flask_babel import gettext as _

from ...audit import audit
from ...core.extensions import db
from ...core.time import utcnow
from ...tenancy.city import City
from ..errors import FailedAttempt
from ..models import Account
from ..secrets import same, verify_secret
from .lockout import check_not_locked, clear_failures, count_failure, throttle_for
from .lookup import person_and_account
from .passwords import adopt_sent_password, drop_sent_password, has_live_sent_password


def neutral_login_message() -> str:
    """The one refusal for every wrong login: it never tells whether the person exists."""
    return _("The ID number, password or verification code is wrong.")


def authenticate(city: City, id_number: str, password: str) -> Account:
    """The account for a right ID number and password.

    A wrong one raises ``FailedAttempt`` (``LockedOut`` at the limit) with the neutral message,
    after counting the failure: the caller commits that count before showing the refusal.
    A person of a default-password city logging in the first time gets their account here.

    A password sent by SMS (忘记密码) is pending: logging in with it makes it the password and
    forces a change; logging in with the old one drops it (the resident still knew theirs).
    Every refusal costs two hash checks, whether or not the person, their account or a sent
    password exists, so neither the answer nor its timing tells them apart.
    """
    now = utcnow()
    throttle = throttle_for(city, "login", id_number)
    check_not_locked(throttle, now)
    person, account = person_and_account(city, id_number)
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
    sent_ok = False
    if not ok:
        live = has_live_sent_password(account, now)
        sent_ok = verify_secret(account.sent_password_hash if live else None, password) and live
    if not (ok or sent_ok):
        count_failure(city, throttle, now, "login_failed", account=account, person=person)
        raise FailedAttempt(neutral_login_message())
    clear_failures(throttle)
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
    elif sent_ok:
        adopt_sent_password(account)
        audit("sent_password_used", city=city.code, account=account)
    else:
        if account.sent_password_hash:
            drop_sent_password(account)
            audit("sent_password_dropped", city=city.code, account=account)
        if uses_default and default.force_change:
            account.must_change_password = True
    audit("login", city=city.code, account=account)
    return account
