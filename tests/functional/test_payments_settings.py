"""The bank backend settings: the sandbox is for development only."""

from __future__ import annotations

import pytest

from shebao.core.settings import DEV_BANK_SECRET, Settings, SettingsError
from shebao.integrations.bank import NoBank, create_bank_gateway
from shebao.integrations.bank.sandbox import SandboxBank

GOOD_KEY = "Zr8xTq2VbN5mLc7Hd4Jw9Kp3Fy6Gs1Ae0Ui-Ol_Pt8Xv2Qn5Bm7"
GOOD_BANK_KEY = "bK3nQ8vX1mZ6tR9wL2cH5yF0jP7dS4gA_eU-iO3uT6rE9qW1"
PRODUCTION = {
    "SHEBAO_ENV": "production",
    "SHEBAO_SECRET_KEY": GOOD_KEY,
    "SHEBAO_SMS_BACKEND": "http",
    "SHEBAO_SMS_HTTP_URL": "https://sms.example.cn/send",
    "SHEBAO_SMS_HTTP_TOKEN": "t" * 32,
    "SHEBAO_RATELIMIT_STORAGE_URL": "redis://127.0.0.1:6379/0",
    "SHEBAO_REDIS_URL": "redis://127.0.0.1:6379/1",
    "SHEBAO_BANK_SECRET": GOOD_BANK_KEY,
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
    assert Settings.from_env(PRODUCTION).bank_secret == GOOD_BANK_KEY


def test_production_refuses_the_public_development_secret_even_with_the_bank_off():
    """Unset, the bank secret is the development value printed in the source code: anyone
    could sign a notification with it."""
    unset = {name: value for name, value in PRODUCTION.items() if name != "SHEBAO_BANK_SECRET"}
    for environ in (unset, {**PRODUCTION, "SHEBAO_BANK_SECRET": DEV_BANK_SECRET}):
        with pytest.raises(SettingsError) as refused:
            Settings.from_env({**environ, "SHEBAO_BANK_BACKEND": "off"})
        assert [p.partition(":")[0] for p in refused.value.problems] == ["SHEBAO_BANK_SECRET"]


def test_the_bank_default_follows_an_environment_given_as_override():
    environ = {name: value for name, value in PRODUCTION.items() if name != "SHEBAO_ENV"}
    assert Settings.from_env(environ, env="production").bank_backend == "off"


def test_an_unknown_bank_backend_in_production_is_reported_once():
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({**PRODUCTION, "SHEBAO_BANK_BACKEND": "PayPal"})
    assert refused.value.problems == [
        "SHEBAO_BANK_BACKEND: must be one of sandbox, off, not 'paypal'"
    ]
