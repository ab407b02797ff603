"""Accounts: login, registration, passwords and account settings (账号设置).

Accounts are a core module: every city has them; how residents get an account is the
city's ``auth`` section, not a module toggle.
"""

from flask_babel import lazy_gettext as _l

from ..modules.base import FeatureModule, ModuleOptions
from ..modules.planned import entries, planned_blueprint

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
    blueprint=planned_blueprint(NAME, ENTRIES),
    entries=ENTRIES,
    options=ModuleOptions,
    core=True,
    description="Change password, registration information, password protection, log out",
)
