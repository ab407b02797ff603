"""The city's password policy, and setting a password (which ends every other session)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from ...core.time import utcnow
from ...tenancy.city import City
from ..errors import AccountError
from ..models import Account
from ..secrets import character_classes, hash_secret

MAX_PASSWORD = 64


def check_password_policy(
    city: City, password: str, id_number: str, field: str = "password"
) -> None:
    """Refuse a password the city's policy does not allow (the message names the rule)."""
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


def set_password(account: Account, password: str) -> None:
    """Hash and store the password; every other session of the account ends."""
    store_password_hash(account, hash_secret(password))


def store_password_hash(account: Account, password_hash: str) -> None:
    """Store an already computed password hash (a caller that hashed on every path of a check
    uses it, so that success costs no more than failure).

    Bumping the session epoch logs out every other session; a password sent by SMS and not
    used yet is dropped (it must not replace the password set now).
    """
    account.password_hash = password_hash
    account.must_change_password = False
    account.password_changed_at = utcnow()
    account.session_epoch = (account.session_epoch or 0) + 1
    drop_sent_password(account)


def has_live_sent_password(account: Account | None, now: datetime) -> bool:
    """Whether a password sent by SMS is waiting for its first use (and has not expired)."""
    return bool(
        account is not None
        and account.sent_password_hash
        and account.sent_password_expires_at
        and account.sent_password_expires_at > now
    )


def adopt_sent_password(account: Account) -> None:
    """The password sent by SMS was used to log in: it becomes the password, every other
    session ends, and the resident must set their own before anything else."""
    store_password_hash(account, account.sent_password_hash)
    account.must_change_password = True


def drop_sent_password(account: Account) -> None:
    account.sent_password_hash = None
    account.sent_password_expires_at = None
