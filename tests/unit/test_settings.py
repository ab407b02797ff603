"""Process settings: SHEBAO_* environment variables into one Settings, refusing bad ones."""

from dataclasses import replace
from pathlib import Path

import pytest

from shebao import create_app
from shebao.core import settings as settings_module
from shebao.core.settings import DEV_SECRET_KEY, PROJECT_ROOT, Settings, SettingsError

GOOD_KEY = "k" * 48


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

    Only the secret key is under test here; every other production requirement (an SMS
    backend that is not a sandbox, with its gateway) is met with what the settings module
    offers.
    """
    sandbox = getattr(settings_module, "SANDBOX_SMS_BACKENDS", ())
    real_sms = [b for b in getattr(settings_module, "SMS_BACKENDS", ()) if b not in sandbox]
    environ = {
        "SHEBAO_ENV": "production",
        "SHEBAO_SECRET_KEY": GOOD_KEY,
        "SHEBAO_SMS_HTTP_URL": "https://sms.example.cn/send",  # read only by the http backend
        "SHEBAO_SMS_HTTP_TOKEN": "t" * 32,
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


def test_development_accepts_the_default_key():
    assert Settings.from_env({"SHEBAO_ENV": "development"}).secret_key == DEV_SECRET_KEY


def test_a_production_override_is_validated_too():
    with pytest.raises(SettingsError, match="SHEBAO_SECRET_KEY"):
        Settings.from_env(
            production_environ(SHEBAO_ENV=None, SHEBAO_SECRET_KEY=None), env="production"
        )


def test_create_app_in_production_without_a_key_refuses_to_start(tmp_path):
    production = Settings.from_env(production_environ(), instance_dir=tmp_path / "instance")
    settings = replace(production, secret_key=DEV_SECRET_KEY)  # what an unset key becomes
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
