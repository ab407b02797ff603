"""Process settings: SHEBAO_* environment variables into one Settings, refusing bad ones."""

import base64
import importlib.util
import random
from pathlib import Path

import pytest

from shebao import create_app
from shebao.core import settings as settings_module
from shebao.core.settings import (
    DEV_BANK_SECRET,
    DEV_SECRET_KEY,
    PROJECT_ROOT,
    Settings,
    SettingsError,
)

#: Random-looking secrets production accepts (fixed, so that a failure can be replayed).
GOOD_KEY = "Zr8xTq2VbN5mLc7Hd4Jw9Kp3Fy6Gs1Ae0Ui-Ol_Pt8Xv2Qn5Bm7"
GOOD_BANK_KEY = "bK3nQ8vX1mZ6tR9wL2cH5yF0jP7dS4gA_eU-iO3uT6rE9qW1"


def test_defaults_are_a_development_process_on_localhost_with_sqlite_under_instance():
    settings = Settings.from_env({})
    assert settings.env == "development"
    assert settings.production is False
    assert settings.base_domain == "localhost"
    assert settings.secret_key == DEV_SECRET_KEY
    assert settings.instance_dir == PROJECT_ROOT / "instance"
    assert settings.database_url == f"sqlite:///{PROJECT_ROOT / 'instance' / 'shebao.sqlite3'}"
    assert settings.cities_dir == PROJECT_ROOT / "cities"
    assert settings.themes_dir == PROJECT_ROOT / "themes"
    assert settings.migrations_dir == PROJECT_ROOT / "migrations"


def test_defaults_do_not_read_the_process_environment_when_given_a_mapping(monkeypatch):
    monkeypatch.setenv("SHEBAO_BASE_DOMAIN", "from-os-environ.example")
    assert Settings.from_env({}).base_domain == "localhost"


def test_from_env_without_a_mapping_reads_os_environ(monkeypatch):
    monkeypatch.setenv("SHEBAO_BASE_DOMAIN", "si.example.cn")
    monkeypatch.delenv("SHEBAO_ENV", raising=False)
    assert Settings.from_env().base_domain == "si.example.cn"


def test_database_url_comes_from_the_environment():
    url = "postgresql+psycopg://shebao:secret@db.internal:5432/shebao"
    assert Settings.from_env({"SHEBAO_DATABASE_URL": url}).database_url == url
    # A plain postgresql:// URL means psycopg 3, the driver the project installs.
    plain = "postgresql://shebao@/shebao"
    assert (
        Settings.from_env({"SHEBAO_DATABASE_URL": plain}).database_url
        == "postgresql+psycopg://shebao@/shebao"
    )


def test_a_blank_database_url_falls_back_to_sqlite():
    settings = Settings.from_env({"SHEBAO_DATABASE_URL": "   "})
    assert settings.database_url.startswith("sqlite:///")


def test_the_sqlite_default_follows_the_instance_folder(tmp_path):
    settings = Settings.from_env({"SHEBAO_INSTANCE_DIR": str(tmp_path)})
    assert settings.instance_dir == tmp_path
    assert settings.database_url == f"sqlite:///{tmp_path / 'shebao.sqlite3'}"


def test_the_sqlite_default_follows_an_instance_folder_given_as_override(tmp_path):
    settings = Settings.from_env({}, instance_dir=tmp_path)
    assert settings.database_url == f"sqlite:///{tmp_path / 'shebao.sqlite3'}"


def test_an_explicit_database_url_wins_over_the_instance_folder(tmp_path):
    url = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    settings = Settings.from_env({"SHEBAO_DATABASE_URL": url}, instance_dir=tmp_path)
    assert settings.database_url == url


@pytest.mark.parametrize(
    "value, domain",
    [
        ("SI.Example.CN", "si.example.cn"),
        ("  shebao.gov.cn  ", "shebao.gov.cn"),
        (".shebao.gov.cn.", "shebao.gov.cn"),
    ],
)
def test_base_domain_is_lower_cased_and_trimmed(value, domain):
    assert Settings.from_env({"SHEBAO_BASE_DOMAIN": value}).base_domain == domain


@pytest.mark.parametrize("value", ["", "   ", "."])
def test_an_empty_base_domain_is_refused(value):
    with pytest.raises(SettingsError, match="SHEBAO_BASE_DOMAIN"):
        Settings.from_env({"SHEBAO_BASE_DOMAIN": value})


def test_a_relative_cities_dir_resolves_against_the_project_root():
    settings = Settings.from_env({"SHEBAO_CITIES_DIR": "tests/fixtures/cities"})
    assert settings.cities_dir == PROJECT_ROOT / "tests" / "fixtures" / "cities"
    assert settings.cities_dir.is_absolute()


def test_a_relative_cities_dir_resolves_against_shebao_root(tmp_path):
    settings = Settings.from_env({"SHEBAO_ROOT": str(tmp_path), "SHEBAO_CITIES_DIR": "my-cities"})
    assert settings.cities_dir == tmp_path / "my-cities"
    assert settings.instance_dir == tmp_path / "instance"


def test_an_absolute_cities_dir_is_kept(tmp_path):
    assert Settings.from_env({"SHEBAO_CITIES_DIR": str(tmp_path)}).cities_dir == tmp_path


def production_environ(**values: str | None) -> dict[str, str]:
    """An environment production accepts, changed by ``values`` (None removes a variable).

    Every production requirement (strong secrets, an SMS backend that is not a sandbox with
    its gateway, a shared rate-limit storage) is met, so that a test changes one thing.
    """
    sandbox = getattr(settings_module, "SANDBOX_SMS_BACKENDS", ())
    real_sms = [b for b in getattr(settings_module, "SMS_BACKENDS", ()) if b not in sandbox]
    environ = {
        "SHEBAO_ENV": "production",
        "SHEBAO_SECRET_KEY": GOOD_KEY,
        "SHEBAO_SMS_HTTP_URL": "https://sms.example.cn/send",  # read only by the http backend
        "SHEBAO_SMS_HTTP_TOKEN": "t" * 32,
        "SHEBAO_RATELIMIT_STORAGE_URL": "redis://127.0.0.1:6379/0",
        "SHEBAO_REDIS_URL": "redis://127.0.0.1:6379/1",
        "SHEBAO_BANK_SECRET": GOOD_BANK_KEY,
    }
    if real_sms:
        environ["SHEBAO_SMS_BACKEND"] = real_sms[0]
    environ.update(values)
    return {name: value for name, value in environ.items() if value is not None}


@pytest.mark.parametrize("value", ["production", "PRODUCTION", " Production "])
def test_shebao_env_is_case_insensitive(value):
    settings = Settings.from_env(production_environ(SHEBAO_ENV=value))
    assert settings.env == "production"
    assert settings.production is True


@pytest.mark.parametrize("value", ["prod", "staging", "dev", "test"])
def test_an_unknown_shebao_env_is_refused_naming_the_variable(value):
    with pytest.raises(SettingsError, match="SHEBAO_ENV") as caught:
        Settings.from_env({"SHEBAO_ENV": value})
    assert "development" in str(caught.value) and "production" in str(caught.value)


@pytest.mark.parametrize(
    "key",
    [None, "", "   ", DEV_SECRET_KEY, "short-secret", "x" * 31],
    ids=["missing", "empty", "blank", "dev-default", "short", "31-chars"],
)
def test_production_refuses_a_missing_default_or_short_secret_key(key):
    with pytest.raises(SettingsError, match="SHEBAO_SECRET_KEY"):
        Settings.from_env(production_environ(SHEBAO_SECRET_KEY=key))


def test_production_accepts_a_48_character_key():
    settings = Settings.from_env(production_environ())
    assert settings.secret_key == GOOD_KEY


@pytest.mark.parametrize(
    "key",
    [
        "k" * 48,
        "ab" * 32,
        "abcd" * 16,
        "0123456789" * 4,
        "Password1234!" * 3,
        "correcthorsebatterystaplecorrect",
    ],
    ids=["one-character", "two", "four", "digits", "typed-thrice", "phrase"],
)
def test_production_refuses_a_long_secret_key_of_low_entropy(key):
    """Long enough, but a pattern: too few different characters or too few bits."""
    assert len(key) >= 32
    with pytest.raises(SettingsError) as refused:
        Settings.from_env(production_environ(SHEBAO_SECRET_KEY=key))
    assert len(refused.value.problems) == 1, refused.value.problems
    assert refused.value.problems[0].startswith("SHEBAO_SECRET_KEY: production needs a random")
    assert key not in str(refused.value)


@pytest.mark.parametrize("seed", range(5))
def test_production_accepts_generated_keys_hex_or_urlsafe(seed):
    """What the docs tell people to run, and the other usual generator (64 hex characters),
    always pass; 32 hex characters (128 bits at best) are refused as too little."""
    rng = random.Random(seed)
    urlsafe = base64.urlsafe_b64encode(rng.randbytes(48)).decode().rstrip("=")
    for key in (urlsafe, rng.randbytes(32).hex()):
        assert Settings.from_env(production_environ(SHEBAO_SECRET_KEY=key)).secret_key == key
    with pytest.raises(SettingsError, match="^SHEBAO_SECRET_KEY: "):
        Settings.from_env(production_environ(SHEBAO_SECRET_KEY="0123456789abcdef" * 2))


@pytest.mark.parametrize(
    "secret",
    [None, "", "  ", DEV_BANK_SECRET],
    ids=["unset", "empty", "blank", "dev-default"],
)
def test_production_refuses_an_unset_bank_secret(secret):
    """Unset, the notifications would be checked with the public development key."""
    with pytest.raises(SettingsError) as refused:
        Settings.from_env(production_environ(SHEBAO_BANK_SECRET=secret))
    assert len(refused.value.problems) == 1, refused.value.problems
    assert refused.value.problems[0].startswith(
        "SHEBAO_BANK_SECRET: production needs the key shared with the bank"
    )
    assert "public development key" in refused.value.problems[0]


def test_production_refuses_a_weak_bank_secret_even_with_the_bank_off():
    settings = production_environ(SHEBAO_BANK_BACKEND="off", SHEBAO_BANK_SECRET="bank" * 10)
    with pytest.raises(SettingsError) as refused:
        Settings.from_env(settings)
    assert [problem.partition(":")[0] for problem in refused.value.problems] == [
        "SHEBAO_BANK_SECRET"
    ]
    assert "bank" * 10 not in str(refused.value)


@pytest.mark.parametrize(
    "storage", [None, "memory://", " memory:// "], ids=["unset", "set", "blank"]
)
def test_production_refuses_memory_rate_limits_when_several_processes_may_run(storage):
    with pytest.raises(SettingsError) as refused:
        Settings.from_env(production_environ(SHEBAO_RATELIMIT_STORAGE_URL=storage))
    assert len(refused.value.problems) == 1, refused.value.problems
    problem = refused.value.problems[0]
    assert problem.startswith("SHEBAO_RATELIMIT_STORAGE_URL: memory:// counts per process")
    assert "redis://" in problem and "SHEBAO_SINGLE_PROCESS=on" in problem


def test_a_deliberately_single_process_production_may_count_in_memory():
    environ = production_environ(
        SHEBAO_RATELIMIT_STORAGE_URL="memory://", SHEBAO_SINGLE_PROCESS="on"
    )
    settings = Settings.from_env(environ)
    assert settings.single_process is True and settings.ratelimit_storage == "memory://"
    assert Settings.from_env(production_environ()).single_process is False  # the default


@pytest.mark.parametrize("redis", [None, "", "  "], ids=["unset", "empty", "blank"])
def test_production_refuses_inline_jobs_when_several_processes_may_run(redis):
    with pytest.raises(SettingsError) as refused:
        Settings.from_env(production_environ(SHEBAO_REDIS_URL=redis))
    assert len(refused.value.problems) == 1, refused.value.problems
    problem = refused.value.problems[0]
    assert problem.startswith("SHEBAO_REDIS_URL: production runs background jobs")
    assert "SHEBAO_SINGLE_PROCESS=on" in problem


def test_a_deliberately_single_process_production_may_run_jobs_inline():
    settings = Settings.from_env(
        production_environ(SHEBAO_REDIS_URL=None, SHEBAO_SINGLE_PROCESS="on")
    )
    assert settings.redis_url == "" and settings.single_process is True


@pytest.mark.parametrize(
    "value", ["127.0.0.1:6379", "http://127.0.0.1:6379/1", "redis://", "memory://"]
)
def test_a_redis_url_that_is_not_one_is_refused_without_echoing_it(value):
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({"SHEBAO_REDIS_URL": value})
    assert refused.value.problems == [
        "SHEBAO_REDIS_URL: must be a Redis URL such as redis://127.0.0.1:6379/1, or empty"
    ]


@pytest.mark.parametrize(
    "value", ["127.0.0.1", "nginx:http", "127.0.0.1:0", "127.0.0.1:70000", "ftp://h:80"]
)
def test_the_sandbox_notify_address_must_be_host_and_port(value):
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({"SHEBAO_SANDBOX_BANK_NOTIFY_ADDRESS": value})
    assert refused.value.problems[0].startswith(
        "SHEBAO_SANDBOX_BANK_NOTIFY_ADDRESS: must be host:port such as 127.0.0.1:80"
    )


def test_the_sandbox_notify_address_accepts_host_port_and_defaults_to_empty():
    assert Settings.from_env({}).sandbox_bank_notify_address == ""
    address = Settings.from_env({"SHEBAO_SANDBOX_BANK_NOTIFY_ADDRESS": " 127.0.0.1:8080 "})
    assert address.sandbox_bank_notify_address == "127.0.0.1:8080"
    plain = Settings.from_env({"SHEBAO_SANDBOX_BANK_NOTIFY_ADDRESS": "http://127.0.0.1:8000"})
    assert plain.sandbox_bank_notify_address == "http://127.0.0.1:8000"


def test_development_accepts_memory_rate_limits_and_the_development_bank_key():
    settings = Settings.from_env({})
    assert settings.ratelimit_storage == "memory://" and settings.single_process is False
    assert settings.bank_secret == DEV_BANK_SECRET


def test_development_accepts_the_default_key():
    assert Settings.from_env({"SHEBAO_ENV": "development"}).secret_key == DEV_SECRET_KEY


def test_a_production_override_is_validated_too():
    with pytest.raises(SettingsError, match="SHEBAO_SECRET_KEY"):
        Settings.from_env(
            production_environ(SHEBAO_ENV=None, SHEBAO_SECRET_KEY=None), env="production"
        )


def test_create_app_in_production_without_a_key_refuses_to_start(tmp_path):
    production = Settings.from_env(production_environ(), instance_dir=tmp_path / "instance")
    settings = production.model_copy(update={"secret_key": DEV_SECRET_KEY})  # an unset key
    with pytest.raises(SettingsError, match="SHEBAO_SECRET_KEY"):
        create_app(settings)
    assert not (tmp_path / "instance").exists()


def test_create_app_in_production_with_a_key_sets_secure_cookies(tmp_path):
    settings = Settings.from_env(
        production_environ(),
        instance_dir=tmp_path / "instance",
        database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}",
    )
    app = create_app(settings)
    assert app.config["SECRET_KEY"] == GOOD_KEY
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert Path(app.instance_path) == tmp_path / "instance"


# ---------------------------------------------------------------- every kind of bad value


def test_a_mapping_hides_every_variable_of_the_process_environment(monkeypatch):
    for name in Settings.variables():
        monkeypatch.setenv(name, "  not valid for any of them ://")
    settings = Settings.from_env({})
    assert settings == Settings.from_env({"SHEBAO_ENV": "development"})
    assert settings.base_domain == "localhost" and settings.captcha is True


MYSQL_DRIVER_MISSING = importlib.util.find_spec("MySQLdb") is None


@pytest.mark.parametrize(
    "variable, value, reason",
    [
        ("SHEBAO_ENV", "staging", "must be one of development, production, not 'staging'"),
        ("SHEBAO_ROOT", "", "must not be empty"),
        ("SHEBAO_INSTANCE_DIR", "  ", "must not be empty"),
        ("SHEBAO_CITIES_DIR", "", "must not be empty"),
        ("SHEBAO_THEMES_DIR", "", "must not be empty"),
        ("SHEBAO_MIGRATIONS_DIR", "", "must not be empty"),
        ("SHEBAO_DATABASE_URL", "shebao@localhost/shebao", "not a database URL"),
        ("SHEBAO_DATABASE_URL", "cockroach://shebao@db/shebao", "unknown database"),
        ("SHEBAO_BASE_DOMAIN", "https://shebao.gov.cn", "must be a domain name"),
        ("SHEBAO_BASE_DOMAIN", "shebao.gov.cn:8443", "no scheme, port or path"),
        ("SHEBAO_BASE_DOMAIN", "shebao gov cn", "must be a domain name"),
        ("SHEBAO_CAPTCHA", "maybe", "must be on or off, not 'maybe'"),
        ("SHEBAO_CAPTCHA", "", "must be on or off"),
        ("SHEBAO_SINGLE_PROCESS", "two", "must be on or off, not 'two'"),
        ("SHEBAO_SMS_BACKEND", "pigeon", "must be one of outbox, http, not 'pigeon'"),
        ("SHEBAO_SMS_HTTP_URL", "sms.example.cn/send", "must be an https:// (or http://) URL"),
        ("SHEBAO_RATELIMIT_STORAGE_URL", "127.0.0.1:6379", "must be a storage URL"),
        ("SHEBAO_RATELIMIT_STORAGE_URL", "", "must be a storage URL"),
        ("SHEBAO_BANK_BACKEND", "", "must be one of sandbox, off, not ''"),
        ("SHEBAO_PASSWORD_SCRYPT_N", "lots", "must be a whole number"),
        ("SHEBAO_PASSWORD_SCRYPT_N", "2**15", "must be a whole number"),
        ("SHEBAO_PASSWORD_SCRYPT_N", "1000", "must be a power of two from 1024"),
        ("SHEBAO_PASSWORD_SCRYPT_N", "512", "must be a power of two from 1024"),
        ("SHEBAO_PASSWORD_SCRYPT_N", str(2**21), "to 1048576 (2**20), not 2097152"),
    ],
)
def test_every_kind_of_bad_value_is_refused_naming_the_variable(variable, value, reason):
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({variable: value})
    assert len(refused.value.problems) == 1, refused.value.problems
    assert refused.value.problems[0].startswith(f"{variable}: ")
    assert reason in refused.value.problems[0]


@pytest.mark.skipif(not MYSQL_DRIVER_MISSING, reason="the MySQL driver is installed here")
def test_a_database_url_whose_driver_is_not_installed_is_refused():
    with pytest.raises(SettingsError, match="^SHEBAO_DATABASE_URL: .*driver.*not installed"):
        Settings.from_env({"SHEBAO_DATABASE_URL": "mysql+mysqldb://shebao@db/shebao"})


@pytest.mark.parametrize(
    "change, variable, reason",
    [
        ({"SHEBAO_CAPTCHA": "off"}, "SHEBAO_CAPTCHA", "cannot be off in production"),
        ({"SHEBAO_SMS_BACKEND": "outbox"}, "SHEBAO_SMS_BACKEND", "sandbox backend"),
        ({"SHEBAO_SMS_HTTP_URL": "http://sms.example.cn/send"}, "SHEBAO_SMS_HTTP_URL", "https"),
        ({"SHEBAO_SMS_HTTP_URL": None}, "SHEBAO_SMS_HTTP_URL", "needs the gateway's URL"),
        ({"SHEBAO_SMS_HTTP_TOKEN": " "}, "SHEBAO_SMS_HTTP_TOKEN", "needs its token"),
        ({"SHEBAO_BANK_BACKEND": "sandbox"}, "SHEBAO_BANK_BACKEND", "sandbox backend"),
        ({"SHEBAO_PASSWORD_SCRYPT_N": "8192"}, "SHEBAO_PASSWORD_SCRYPT_N", "at least 16384"),
    ],
)
def test_each_production_rule_names_its_variable(change, variable, reason):
    with pytest.raises(SettingsError) as refused:
        Settings.from_env(production_environ(**change))
    assert len(refused.value.problems) == 1, refused.value.problems
    assert refused.value.problems[0].startswith(f"{variable}: ")
    assert reason in refused.value.problems[0]


def test_every_problem_is_reported_at_once_in_the_order_of_the_settings():
    environ = production_environ(
        SHEBAO_SECRET_KEY="short",
        SHEBAO_BASE_DOMAIN="shebao.gov.cn:443",
        SHEBAO_CAPTCHA="off",
        SHEBAO_SMS_HTTP_URL="http://sms.example.cn/send",
        SHEBAO_RATELIMIT_STORAGE_URL="redis",
        SHEBAO_BANK_BACKEND="sandbox",
        SHEBAO_BANK_SECRET=None,
        SHEBAO_PASSWORD_SCRYPT_N="1024",
    )
    with pytest.raises(SettingsError) as refused:
        Settings.from_env(environ)
    named = [problem.partition(": ")[0] for problem in refused.value.problems]
    assert named == [
        "SHEBAO_SECRET_KEY",
        "SHEBAO_BASE_DOMAIN",
        "SHEBAO_CAPTCHA",
        "SHEBAO_SMS_HTTP_URL",
        "SHEBAO_RATELIMIT_STORAGE_URL",
        "SHEBAO_BANK_BACKEND",
        "SHEBAO_BANK_SECRET",
        "SHEBAO_PASSWORD_SCRYPT_N",
    ]
    assert str(refused.value) == "\n".join(refused.value.problems)


def test_the_new_production_rules_are_reported_together_each_naming_its_variable():
    environ = production_environ(
        SHEBAO_SECRET_KEY="x" * 40, SHEBAO_RATELIMIT_STORAGE_URL=None, SHEBAO_BANK_SECRET=None
    )
    with pytest.raises(SettingsError) as refused:
        Settings.from_env(environ)
    named = [problem.partition(": ")[0] for problem in refused.value.problems]
    assert named == ["SHEBAO_SECRET_KEY", "SHEBAO_RATELIMIT_STORAGE_URL", "SHEBAO_BANK_SECRET"]


def test_a_bad_value_is_reported_once_not_judged_again_by_the_production_rules():
    environ = production_environ(SHEBAO_SMS_BACKEND="pigeon", SHEBAO_BANK_BACKEND="paypal")
    with pytest.raises(SettingsError) as refused:
        Settings.from_env(environ)
    assert refused.value.problems == [
        "SHEBAO_SMS_BACKEND: must be one of outbox, http, not 'pigeon'",
        "SHEBAO_BANK_BACKEND: must be one of sandbox, off, not 'paypal'",
    ]


def test_an_unknown_environment_skips_the_rules_that_depend_on_it():
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({"SHEBAO_ENV": "prod", "SHEBAO_CAPTCHA": "off"})
    assert [problem.partition(":")[0] for problem in refused.value.problems] == ["SHEBAO_ENV"]


# ---------------------------------------------------------------- the password work factor


def test_the_password_work_factor_defaults_to_two_to_the_fifteen():
    assert Settings.from_env({}).password_scrypt_n == 2**15 == 32768
    assert Settings.from_env(production_environ()).password_scrypt_n == 32768


def test_development_may_lower_the_password_work_factor_to_two_to_the_ten():
    assert Settings.from_env({"SHEBAO_PASSWORD_SCRYPT_N": " 1024 "}).password_scrypt_n == 1024
    assert Settings.from_env({}, password_scrypt_n=1024).password_scrypt_n == 1024


def test_production_accepts_two_to_the_fourteen_and_more():
    for value in ("16384", "65536", str(2**20)):
        settings = Settings.from_env(production_environ(SHEBAO_PASSWORD_SCRYPT_N=value))
        assert settings.password_scrypt_n == int(value)


# ---------------------------------------------------------------- overrides, validate()


def test_overrides_are_validated_like_the_environment():
    with pytest.raises(SettingsError, match="^SHEBAO_PASSWORD_SCRYPT_N: must be a power of two"):
        Settings.from_env({}, password_scrypt_n=1000)


def test_an_override_that_is_not_a_setting_is_a_programming_error():
    with pytest.raises(TypeError, match="scrypt_n"):
        Settings.from_env({}, scrypt_n=1024)


def test_settings_cannot_be_changed_in_place():
    settings = Settings.from_env({})
    with pytest.raises(ValueError):
        settings.captcha = False  # type: ignore[misc]


def test_validate_checks_every_field_of_a_copied_settings_object_again():
    changed = Settings.from_env({}).model_copy(
        update={"sms_backend": "pigeon", "password_scrypt_n": 3}
    )
    with pytest.raises(SettingsError) as refused:
        changed.validate()
    assert [problem.partition(":")[0] for problem in refused.value.problems] == [
        "SHEBAO_SMS_BACKEND",
        "SHEBAO_PASSWORD_SCRYPT_N",
    ]
    Settings.from_env(production_environ()).validate()  # valid settings pass unchanged


# ---------------------------------------------------------------- the other variables


def test_empty_secrets_fall_back_to_the_development_keys():
    settings = Settings.from_env({"SHEBAO_SECRET_KEY": "  ", "SHEBAO_BANK_SECRET": ""})
    assert settings.secret_key == DEV_SECRET_KEY
    assert settings.bank_secret == DEV_BANK_SECRET


def test_the_sms_outbox_defaults_to_the_instance_folder(tmp_path):
    assert Settings.from_env({}).sms_outbox == PROJECT_ROOT / "instance" / "sms_outbox.jsonl"
    moved = Settings.from_env({"SHEBAO_INSTANCE_DIR": str(tmp_path), "SHEBAO_SMS_OUTBOX": ""})
    assert moved.sms_outbox == tmp_path / "sms_outbox.jsonl"
    relative = Settings.from_env({"SHEBAO_ROOT": str(tmp_path), "SHEBAO_SMS_OUTBOX": "out.jsonl"})
    assert relative.sms_outbox == tmp_path / "out.jsonl"


def test_the_rate_limit_storage_and_the_sms_gateway_are_read_stripped():
    settings = Settings.from_env(
        {
            "SHEBAO_RATELIMIT_STORAGE_URL": " redis://127.0.0.1:6379/0 ",
            "SHEBAO_SMS_BACKEND": " HTTP ",
            "SHEBAO_SMS_HTTP_URL": " https://sms.example.cn/send ",
            "SHEBAO_SMS_HTTP_TOKEN": " token ",
        }
    )
    assert settings.ratelimit_storage == "redis://127.0.0.1:6379/0"
    assert settings.sms_backend == "http"
    assert settings.sms_http_url == "https://sms.example.cn/send"
    assert settings.sms_http_token == "token"


@pytest.mark.parametrize("value, on", [("on", True), ("OFF", False), ("yes", True), ("0", False)])
def test_the_captcha_flag_reads_on_and_off(value, on):
    assert Settings.from_env({"SHEBAO_CAPTCHA": value}).captcha is on


def test_every_variable_has_a_meaning_and_the_shebao_prefix():
    variables = Settings.variables()
    assert "SHEBAO_RATELIMIT_STORAGE_URL" in variables and "SHEBAO_PASSWORD_SCRYPT_N" in variables
    for name, meaning in variables.items():
        assert name.startswith("SHEBAO_") and name.isupper(), name
        assert meaning, f"{name} has no description"


@pytest.mark.parametrize(
    "variable, value",
    [
        ("SHEBAO_DATABASE_URL", "cockroach://shebao:hunter2@db/shebao"),
        ("SHEBAO_DATABASE_URL", "shebao:hunter2@db/shebao"),
        ("SHEBAO_RATELIMIT_STORAGE_URL", "redis:hunter2@127.0.0.1"),
        ("SHEBAO_SMS_HTTP_URL", "sms.example.cn/send?key=hunter2"),
        ("SHEBAO_SECRET_KEY", "hunter2"),
    ],
)
def test_a_refused_value_that_may_hold_a_password_is_not_repeated(variable, value):
    environ = production_environ(**{variable: value})
    with pytest.raises(SettingsError, match=f"^{variable}: ") as refused:
        Settings.from_env(environ)
    assert "hunter2" not in str(refused.value)
