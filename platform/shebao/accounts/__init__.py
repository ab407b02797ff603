"""Accounts: login, registration, passwords and account settings (账号设置).

Accounts are a core module: every city has them; how residents get an account is the
city's ``auth`` section, not a module toggle.
"""

from flask_babel import lazy_gettext as _l

from ..modules.base import FeatureModule, ModuleOptions, entries
from .views import PUBLIC_ENDPOINTS, blueprint

NAME = "account"
ENTRIES = entries(
    NAME,
    ("change_password", _l("Change password")),
    ("registration_info", _l("Change registration information")),
    ("security_questions", _l("Password protection")),
    ("logout", _l("Log out of this account")),
)

module = FeatureModule(
    name=NAME,
    label=_l("Account settings"),
    blueprint=blueprint,
    entries=ENTRIES,
    options=ModuleOptions,
    core=True,
    public_endpoints=PUBLIC_ENDPOINTS,
    description="Change password, registration information, password protection, log out",
)
