"""The city's password policy, and setting a password (which ends every other session)."""

from __future__ import annotations

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
    """Hash and store the password; bumping the session epoch logs out every other session."""
    account.password_hash = hash_secret(password)
    account.must_change_password = False
    account.password_changed_at = utcnow()
    account.session_epoch = (account.session_epoch or 0) + 1
