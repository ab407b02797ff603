"""Process settings, read from ``SHEBAO_*`` environment variables into one typed object.

Everything that differs between cities lives in city YAML; everything that differs between
machines (database, secret key, domain) lives here. Nothing here is ever read from YAML.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

#: The repository checkout that holds ``cities/``, ``themes/`` and ``migrations/``.
PROJECT_ROOT = Path(__file__).resolve().parents[3]

DEV_SECRET_KEY = "dev-only-insecure-secret-key"
ENVIRONMENTS = ("development", "production")
SMS_BACKENDS = ("outbox", "http")
SANDBOX_SMS_BACKENDS = ("outbox",)
BANK_BACKENDS = ("sandbox", "off")
SANDBOX_BANK_BACKENDS = ("sandbox",)
DEV_BANK_SECRET = "dev-only-sandbox-bank-secret"


class SettingsError(ValueError):
    """Raised when the environment describes a process that must not start."""


def _driver(url: str) -> str:
    """``postgresql://`` means psycopg 3, the driver the project installs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _flag(value: str, name: str) -> bool:
    value = value.strip().lower()
    if value in ("on", "true", "1", "yes"):
        return True
    if value in ("off", "false", "0", "no"):
        return False
    raise SettingsError(f"{name}: must be on or off, not {value!r}")


def _path(value: str, root: Path) -> Path:
    path = Path(value)
    return path if path.is_absolute() else (root / path).resolve()


@dataclass(frozen=True)
class Settings:
    env: Literal["development", "production"] = "development"
    secret_key: str = DEV_SECRET_KEY
    database_url: str = ""
    base_domain: str = "localhost"
    cities_dir: Path = PROJECT_ROOT / "cities"
    themes_dir: Path = PROJECT_ROOT / "themes"
    migrations_dir: Path = PROJECT_ROOT / "migrations"
    instance_dir: Path = PROJECT_ROOT / "instance"
    #: The login captcha; ``SHEBAO_CAPTCHA=off`` is for automated tests only.
    captcha: bool = True
    #: ``outbox``: append every SMS to a JSON-lines file (development and tests only).
    sms_backend: str = "outbox"
    sms_outbox: Path = PROJECT_ROOT / "instance" / "sms_outbox.jsonl"
    #: ``http`` backend: where to post messages, and the bearer token it expects.
    sms_http_url: str = ""
    sms_http_token: str = ""
    #: Where rate-limit counters live: ``memory://`` (one process) or ``redis://host:6379``.
    ratelimit_storage: str = "memory://"
    #: ``sandbox``: a simulated bank inside the app (development and tests only); ``off``: no
    #: online payment. Default: sandbox in development, off in production.
    bank_backend: str = "sandbox"
    #: The HMAC-SHA256 key bank notifications are signed with.
    bank_secret: str = DEV_BANK_SECRET

    @property
    def production(self) -> bool:
        return self.env == "production"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> Settings:
        environ = os.environ if environ is None else environ
        root = _path(environ.get("SHEBAO_ROOT", str(PROJECT_ROOT)), PROJECT_ROOT)
        instance_dir = _path(environ.get("SHEBAO_INSTANCE_DIR", "instance"), root)
        if "instance_dir" in overrides:  # the default database lives in the instance folder given
            instance_dir = Path(overrides["instance_dir"])
        env = environ.get("SHEBAO_ENV", "development").strip().lower()
        if env not in ENVIRONMENTS:
            raise SettingsError(
                f"SHEBAO_ENV: must be one of {', '.join(ENVIRONMENTS)}, not {env!r}"
            )
        database_url = _driver(environ.get("SHEBAO_DATABASE_URL", "").strip()) or (
            f"sqlite:///{instance_dir / 'shebao.sqlite3'}"
        )
        settings = cls(
            env=env,  # type: ignore[arg-type]
            secret_key=environ.get("SHEBAO_SECRET_KEY", "") or DEV_SECRET_KEY,
            database_url=database_url,
            base_domain=environ.get("SHEBAO_BASE_DOMAIN", "localhost").strip().lower().strip("."),
            cities_dir=_path(environ.get("SHEBAO_CITIES_DIR", "cities"), root),
            themes_dir=_path(environ.get("SHEBAO_THEMES_DIR", "themes"), root),
            migrations_dir=_path(environ.get("SHEBAO_MIGRATIONS_DIR", "migrations"), root),
            instance_dir=instance_dir,
            captcha=_flag(environ.get("SHEBAO_CAPTCHA", "on"), "SHEBAO_CAPTCHA"),
            sms_backend=environ.get("SHEBAO_SMS_BACKEND", "outbox").strip().lower(),
            sms_outbox=_path(
                environ.get("SHEBAO_SMS_OUTBOX", str(instance_dir / "sms_outbox.jsonl")), root
            ),
            sms_http_url=environ.get("SHEBAO_SMS_HTTP_URL", "").strip(),
            sms_http_token=environ.get("SHEBAO_SMS_HTTP_TOKEN", "").strip(),
            ratelimit_storage=environ.get("SHEBAO_RATELIMIT_STORAGE_URL", "memory://").strip(),
            bank_backend=environ.get(
                "SHEBAO_BANK_BACKEND", "off" if env == "production" else "sandbox"
            )
            .strip()
            .lower(),
            bank_secret=environ.get("SHEBAO_BANK_SECRET", "").strip() or DEV_BANK_SECRET,
        )
        settings = replace(settings, **overrides) if overrides else settings
        settings.validate()
        return settings

    def validate(self) -> None:
        """Refuse settings that must never reach a running server."""
        if not self.base_domain:
            raise SettingsError("SHEBAO_BASE_DOMAIN: must not be empty")
        if self.production and (
            self.secret_key == DEV_SECRET_KEY or len(self.secret_key.strip()) < 32
        ):
            raise SettingsError(
                "SHEBAO_SECRET_KEY: production needs a random secret of at least 32 characters "
                "(for example: python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )
        if self.sms_backend not in SMS_BACKENDS:
            raise SettingsError(f"SHEBAO_SMS_BACKEND: must be one of {', '.join(SMS_BACKENDS)}")
        if self.production and not self.captcha:
            raise SettingsError("SHEBAO_CAPTCHA: the captcha cannot be off in production")
        if self.production and self.sms_backend in SANDBOX_SMS_BACKENDS:
            raise SettingsError(
                f"SHEBAO_SMS_BACKEND: {self.sms_backend!r} is a sandbox backend, refused in production "
                "(use http with SHEBAO_SMS_HTTP_URL and SHEBAO_SMS_HTTP_TOKEN)"
            )
        if self.sms_backend == "http":
            if not self.sms_http_url.startswith(("https://", "http://")):
                raise SettingsError(
                    "SHEBAO_SMS_HTTP_URL: the http SMS backend needs the gateway's URL"
                )
            if self.production and not self.sms_http_url.startswith("https://"):
                raise SettingsError("SHEBAO_SMS_HTTP_URL: production sends SMS over https only")
            if not self.sms_http_token:
                raise SettingsError("SHEBAO_SMS_HTTP_TOKEN: the http SMS backend needs its token")
        if self.bank_backend not in BANK_BACKENDS:
            raise SettingsError(f"SHEBAO_BANK_BACKEND: must be one of {', '.join(BANK_BACKENDS)}")
        if self.production and self.bank_backend in SANDBOX_BANK_BACKENDS:
            raise SettingsError(
                f"SHEBAO_BANK_BACKEND: {self.bank_backend!r} is a sandbox backend, refused in "
                "production (use off until a real bank backend is configured)"
            )
