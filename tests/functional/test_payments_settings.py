"""The bank backend settings: the sandbox is for development only."""

from __future__ import annotations

import pytest

from shebao.core.settings import DEV_BANK_SECRET, Settings, SettingsError
from shebao.integrations.bank import NoBank, create_bank_gateway
from shebao.integrations.bank.sandbox import SandboxBank

GOOD_KEY = "k" * 40
PRODUCTION = {
    "SHEBAO_ENV": "production",
    "SHEBAO_SECRET_KEY": GOOD_KEY,
    "SHEBAO_SMS_BACKEND": "http",
    "SHEBAO_SMS_HTTP_URL": "https://sms.example.cn/send",
    "SHEBAO_SMS_HTTP_TOKEN": "t" * 32,
}


def test_development_defaults_to_the_sandbox_bank():
    settings = Settings.from_env({})
    assert settings.bank_backend == "sandbox" and settings.bank_secret == DEV_BANK_SECRET
    assert isinstance(create_bank_gateway(settings), SandboxBank)


def test_production_defaults_to_no_online_payment():
    settings = Settings.from_env(PRODUCTION)
    assert settings.bank_backend == "off"
    assert isinstance(create_bank_gateway(settings), NoBank)


def test_production_refuses_the_sandbox_bank():
    with pytest.raises(SettingsError, match="SHEBAO_BANK_BACKEND.*sandbox"):
        Settings.from_env({**PRODUCTION, "SHEBAO_BANK_BACKEND": "sandbox"})


def test_an_unknown_bank_backend_is_refused():
    with pytest.raises(SettingsError, match="SHEBAO_BANK_BACKEND: must be one of sandbox, off"):
        Settings.from_env({"SHEBAO_BANK_BACKEND": "paypal"})


def test_the_secret_comes_from_the_environment():
    assert Settings.from_env({"SHEBAO_BANK_SECRET": " s3cret "}).bank_secret == "s3cret"


def test_the_bank_default_follows_an_environment_given_as_override():
    environ = {name: value for name, value in PRODUCTION.items() if name != "SHEBAO_ENV"}
    assert Settings.from_env(environ, env="production").bank_backend == "off"


def test_an_unknown_bank_backend_in_production_is_reported_once():
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({**PRODUCTION, "SHEBAO_BANK_BACKEND": "PayPal"})
    assert refused.value.problems == [
        "SHEBAO_BANK_BACKEND: must be one of sandbox, off, not 'paypal'"
    ]
