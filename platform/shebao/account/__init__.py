"""Accounts: login, registration, passwords and account settings (账号设置).

Accounts are a core module: every city has them; how residents get an account is the
city's ``auth`` section, not a module toggle.
"""

from flask_babel import lazy_gettext as _l

from ..tenancy.modules import FeatureModule, ModuleOptions, entries

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
    package=__name__,
    entries=ENTRIES,
    options=ModuleOptions,
    core=True,
    description="Change password, registration information, password protection, log out",
    public_endpoints=frozenset(
        {
            "account.login",
            "account.register",
            "account.forgot_password",
            "account.recover",
            "account.captcha_image",
            # Answers a visitor itself (401), so the idle warning's script learns the truth.
            "account.extend_session",
        }
    ),
    open_while_forced=frozenset(
        {
            "account.change_password",
            "account.logout",
            "account.exit",
            "account.extend_session",
            "static",
        }
    ),
    seeder=".demo:seed_demo_accounts",
)
