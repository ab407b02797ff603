"""Process settings: the ``SHEBAO_*`` environment variables as one typed, validated object.

Everything that differs between cities lives in city YAML; everything that differs between
machines (database, secret key, domain) lives here. Nothing here is ever read from YAML.

``Settings`` declares every variable once, with its type, default, constraints and meaning
(how one value is read is in ``setting_types``); ``deploy/env.example`` and the README's table
are checked against it by a test. Reading is all or nothing and reports every problem at once,
one ``SHEBAO_NAME: problem`` a line, so that a deployment engineer fixes the whole environment
file in one go.

Production refuses what is safe only on a developer's machine: sandbox backends, secrets that
are unset (the public development values) or weak (``weak_secret``), weak password hashing, and
rate limits counted in process memory. The settings cannot see how many processes serve the
site, so production assumes several (Gunicorn starts 2 × cores + 1, and a second machine can
be added at any time) unless ``SHEBAO_SINGLE_PROCESS=on`` says deliberately that exactly one
process serves it; ``deploy/gunicorn.conf.py`` then starts one worker.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BeforeValidator, Field, ValidationError, ValidationInfo
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from .setting_types import (
    PROJECT_ROOT,
    Address,
    DatabaseUrl,
    DomainName,
    Flag,
    Folder,
    HttpUrl,
    OutboxFile,
    RedisUrl,
    Root,
    StorageUrl,
    Stripped,
    WholeNumber,
    choice,
    or_default,
    power_of_two,
)

DEV_SECRET_KEY = "dev-only-insecure-secret-key"
DEV_BANK_SECRET = "dev-only-sandbox-bank-secret"
EnvironmentName = Literal["development", "production"]
SmsBackendName = Literal["outbox", "http"]
BankBackendName = Literal["sandbox", "off"]
ENVIRONMENTS: tuple[str, ...] = get_args(EnvironmentName)
SMS_BACKENDS: tuple[str, ...] = get_args(SmsBackendName)
SANDBOX_SMS_BACKENDS = ("outbox",)
BANK_BACKENDS: tuple[str, ...] = get_args(BankBackendName)
UploadsStorageName = Literal["files", "database"]
UPLOADS_STORAGES: tuple[str, ...] = get_args(UploadsStorageName)
SANDBOX_BANK_BACKENDS = ("sandbox",)
LogFormatName = Literal["text", "json"]
LOG_FORMATS: tuple[str, ...] = get_args(LogFormatName)
#: More proxies than this in front of the app is a mistake, not a deployment.
MAX_PROXY_HOPS = 5

MIN_SECRET_KEY_LENGTH = 32
#: What a production secret must at least seem to hold (see ``weak_secret``): different
#: characters (a random 64-character hex key has all 16 or nearly), and bits as
#: ``secret_entropy`` estimates them.
MIN_SECRET_DISTINCT = 12
MIN_SECRET_ENTROPY_BITS = 128
#: scrypt's CPU/memory cost: 2**15 is werkzeug's default; the tests lower it to run fast.
DEFAULT_SCRYPT_N = 2**15
SCRYPT_N_BOUNDS = (2**10, 2**20)
PRODUCTION_MIN_SCRYPT_N = 2**14


class SettingsError(ValueError):
    """The environment describes a process that must not start.

    ``problems`` holds one ``SHEBAO_NAME: problem`` line per problem; the message is all of
    them, one a line.
    """

    def __init__(self, problems: str | Sequence[str]) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


_RANDOM_SECRET = (
    f"a random secret of at least {MIN_SECRET_KEY_LENGTH} characters, {MIN_SECRET_DISTINCT} of "
    f"them different, no repeated pattern, and {MIN_SECRET_ENTROPY_BITS} bits (for example: "
    "python -c 'import secrets; print(secrets.token_urlsafe(48))')"
)
_WEAK_SECRET = f"production needs {_RANDOM_SECRET}"
_DEV_BANK_SECRET = (
    "production needs the key shared with the bank: unset, notifications would be checked "
    f"with the public development key; use {_RANDOM_SECRET}"
)
_SHARED_QUEUE = (
    "production runs background jobs (SMS delivery with retries, payment expiry, bank "
    "notifications) on a queue in Redis that every node shares, such as "
    "redis://127.0.0.1:6379/1; without it jobs run inline in the request that asks for them, "
    "with no retry (set SHEBAO_SINGLE_PROCESS=on to accept that on one process, one machine)"
)
_SHARED_STORAGE = (
    "memory:// counts per process, so with several workers or machines every limit is "
    "multiplied; production needs a shared storage such as redis://127.0.0.1:6379/0 "
    "(or SHEBAO_SINGLE_PROCESS=on when exactly one process on one machine serves the site)"
)


def secret_entropy(secret: str) -> float:
    """The bits a secret would hold if each character were drawn at random from the
    characters it uses: length × log2(number of different characters).

    Only an upper bound, but with the other rules of ``weak_secret`` it refuses the weak
    secrets people make: one character or a short alphabet repeated, a phrase typed twice, a
    word. Random keys pass: 64 hex characters score about 250 bits, ``token_urlsafe(48)``
    about 340; 32 hex characters (at most 128) usually do not.
    """
    distinct = len(set(secret))
    return len(secret) * math.log2(distinct) if distinct > 1 else 0.0


def repeats_a_pattern(secret: str) -> bool:
    """Whether the secret is a shorter piece written again and again (``abc`` → ``abcabca``)."""
    return any(
        secret[period:] == secret[: len(secret) - period]
        for period in range(1, len(secret) // 2 + 1)
    )


def weak_secret(secret: str) -> bool:
    """Too short, too few different characters, a repeated pattern, or too few estimated bits.

    Not "fewer than 16 different characters": that would refuse about one random
    64-character hex key in four, which cannot hold all 16 hex digits.
    """
    return (
        len(secret) < MIN_SECRET_KEY_LENGTH
        or len(set(secret)) < MIN_SECRET_DISTINCT
        or repeats_a_pattern(secret)
        or secret_entropy(secret) < MIN_SECRET_ENTROPY_BITS
    )


def _sandbox(backend: str, advice: str) -> str:
    return f"{backend!r} is a sandbox backend, refused in production ({advice})"


def _bank_backend(value: Any, info: ValidationInfo) -> Any:
    if value is None:  # not set: the default follows SHEBAO_ENV
        return "off" if info.data.get("env") == "production" else "sandbox"
    return choice(BANK_BACKENDS)(value)


def _log_format(value: Any, info: ValidationInfo) -> Any:
    if value is None:  # not set: the default follows SHEBAO_ENV
        return "json" if info.data.get("env") == "production" else "text"
    return choice(LOG_FORMATS)(value)


def _hops(value: int) -> int:
    if not 0 <= value <= MAX_PROXY_HOPS:
        raise ValueError(
            f"must be the number of proxies in front of the app, 0 to {MAX_PROXY_HOPS}, not {value}"
        )
    return value


def _uploads_storage(value: Any, info: ValidationInfo) -> Any:
    if value is None:  # not set: the default follows SHEBAO_ENV
        return "database" if info.data.get("env") == "production" else "files"
    return choice(UPLOADS_STORAGES)(value)


Environment = Annotated[EnvironmentName, BeforeValidator(choice(ENVIRONMENTS))]
SmsBackend = Annotated[SmsBackendName, BeforeValidator(choice(SMS_BACKENDS))]
BankBackend = Annotated[BankBackendName, BeforeValidator(_bank_backend)]
UploadsStorage = Annotated[UploadsStorageName, BeforeValidator(_uploads_storage)]
ScryptN = Annotated[WholeNumber, AfterValidator(power_of_two(*SCRYPT_N_BOUNDS))]
ProxyHops = Annotated[WholeNumber, AfterValidator(_hops)]
LogFormat = Annotated[LogFormatName, BeforeValidator(_log_format)]


# ---------------------------------------------------------------- the model


def variable_name(field_name: str, field: FieldInfo) -> str:
    """The environment variable a field is read from: ``SHEBAO_`` + its name, or its alias."""
    alias = field.validation_alias
    return (
        alias
        if isinstance(alias, str)
        else Settings.model_config["env_prefix"] + field_name.upper()
    )


class Settings(BaseSettings):
    """Every ``SHEBAO_*`` variable. Build it with ``Settings.from_env()``.

    Fields are validated in this order, so a default may follow a field above it (the
    database and the SMS outbox live in the instance folder; the bank follows ``env``).
    """

    model_config = SettingsConfigDict(
        env_prefix="SHEBAO_",
        frozen=True,
        extra="forbid",
        populate_by_name=True,
        validate_default=True,
    )

    env: Environment = Field(
        "development",
        description="development or production; production refuses sandbox backends, "
        "weak or unset secrets, per-process rate limits, inline jobs and weak password "
        "hashing, and marks "
        "cookies Secure",
    )
    root: Root = Field(PROJECT_ROOT, description="the checkout; relative folders are taken from it")
    secret_key: Annotated[str, BeforeValidator(or_default(DEV_SECRET_KEY))] = Field(
        DEV_SECRET_KEY,
        description="signs sessions and CSRF tokens; production needs at least "
        f"{MIN_SECRET_KEY_LENGTH} random characters ({MIN_SECRET_ENTROPY_BITS} bits)",
    )
    instance_dir: Folder = Field(
        Path("instance"), description="the only folder the app writes to (created at start)"
    )
    database_url: DatabaseUrl = Field(
        "", description="SQLAlchemy URL; default SQLite at <instance folder>/shebao.sqlite3"
    )
    uploads_storage: UploadsStorage = Field(
        None,
        description="where uploaded files (ID photos) live: files (<instance folder>/uploads, "
        "one machine's) or database (a table every node reads); default files in development, "
        "database in production",
    )
    base_domain: DomainName = Field(
        "localhost", description="cities answer on <city>.<base domain>; no scheme, no port"
    )
    cities_dir: Folder = Field(Path("cities"), description="folder of <city>/city.yaml")
    themes_dir: Folder = Field(Path("themes"), description="folder of the shared looks")
    migrations_dir: Folder = Field(Path("migrations"), description="the Alembic migrations")
    captcha: Flag = Field(
        True, description="the login captcha: on or off (off for automated tests only)"
    )
    sms_backend: SmsBackend = Field(
        "outbox", description="outbox (a file, development only) or http (a gateway)"
    )
    sms_outbox: OutboxFile = Field(
        None, description="where the outbox SMS backend writes; default in the instance folder"
    )
    sms_http_url: HttpUrl = Field(
        "", description="the SMS gateway the http backend posts to; https in production"
    )
    sms_http_token: Stripped = Field("", description="the bearer token the SMS gateway expects")
    ratelimit_storage: StorageUrl = Field(
        "memory://",
        validation_alias="SHEBAO_RATELIMIT_STORAGE_URL",
        description="where rate-limit counters live: memory:// (one process) or redis://…; "
        "production needs a shared storage unless SHEBAO_SINGLE_PROCESS is on",
    )
    single_process: Flag = Field(
        False,
        description="on: exactly one process on one machine serves the site (Gunicorn then "
        "runs one worker), so production accepts memory:// rate limits; default off",
    )
    redis_url: RedisUrl = Field(
        "",
        description="the Redis of the background-job queue (redis://…); empty: jobs run "
        "inline, at once, in the process that asks (development); production needs it unless "
        "SHEBAO_SINGLE_PROCESS is on",
    )
    bank_backend: BankBackend = Field(
        None, description="sandbox (development only) or off; default off in production"
    )
    bank_secret: Annotated[str, BeforeValidator(or_default(DEV_BANK_SECRET))] = Field(
        DEV_BANK_SECRET,
        description="the HMAC-SHA256 key bank notifications are signed with; production "
        "needs it set, random, like the secret key",
    )
    sandbox_bank_notify_address: Address = Field(
        "",
        description="host:port the sandbox bank connects to when it posts a notification, "
        "keeping the notify URL's Host header (e.g. nginx on 127.0.0.1:443); http://host:port "
        "posts without TLS (a node behind nginx); empty: the URL's own host (a *.localhost "
        "host is this machine's loopback)",
    )
    password_scrypt_n: ScryptN = Field(
        DEFAULT_SCRYPT_N,
        description="scrypt work factor of password hashes: a power of two from 2**10 to "
        "2**20; production needs at least 2**14",
    )
    proxy_hops: ProxyHops = Field(
        0,
        description="how many proxies (nginx, a load balancer) stand in front of the app; the "
        "client address is taken from X-Forwarded-For that many hops back; default 0",
    )
    log_format: LogFormat = Field(
        None,
        description="text or json (one JSON line per request); default json in production",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Only the arguments: ``from_env`` reads the environment (``os.environ`` or the
        mapping it is given, names matched exactly), so nothing else is ever read, not even
        while validating (pydantic runs ``__init__`` for ``model_validate`` too)."""
        return (init_settings,)

    @property
    def production(self) -> bool:
        return self.env == "production"

    def _combination_problems(self) -> Iterator[tuple[str, str]]:
        """(field, problem) for values each fine alone but refused together."""
        http_sms = self.sms_backend == "http"
        if http_sms and not self.sms_http_url:
            yield "sms_http_url", "the http SMS backend needs the gateway's URL"
        if http_sms and not self.sms_http_token:
            yield "sms_http_token", "the http SMS backend needs its token"
        if not self.production:
            return
        if self.secret_key == DEV_SECRET_KEY or weak_secret(self.secret_key):
            yield "secret_key", _WEAK_SECRET
        if not self.captcha:
            yield "captcha", "the captcha cannot be off in production"
        if self.sms_backend in SANDBOX_SMS_BACKENDS:
            advice = "use http with SHEBAO_SMS_HTTP_URL and SHEBAO_SMS_HTTP_TOKEN"
            yield "sms_backend", _sandbox(self.sms_backend, advice)
        if http_sms and self.sms_http_url.startswith("http://"):
            yield "sms_http_url", "production sends SMS over https only"
        if self.ratelimit_storage.startswith("memory://") and not self.single_process:
            yield "ratelimit_storage", _SHARED_STORAGE
        if not self.redis_url and not self.single_process:
            yield "redis_url", _SHARED_QUEUE
        if self.bank_backend in SANDBOX_BANK_BACKENDS:
            advice = "use off until a real bank backend is configured"
            yield "bank_backend", _sandbox(self.bank_backend, advice)
        if self.bank_secret == DEV_BANK_SECRET:
            yield "bank_secret", _DEV_BANK_SECRET
        elif weak_secret(self.bank_secret):
            yield "bank_secret", _WEAK_SECRET
        if self.password_scrypt_n < PRODUCTION_MIN_SCRYPT_N:
            low, value = PRODUCTION_MIN_SCRYPT_N, self.password_scrypt_n
            yield "password_scrypt_n", f"production needs at least {low} (2**14), not {value}"

    @classmethod
    def variables(cls) -> dict[str, str]:
        """Every environment variable the settings read, in order, with its meaning."""
        fields = cls.model_fields.items()
        return {variable_name(name, field): field.description or "" for name, field in fields}

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from ``environ`` (default: the process environment) and ``overrides``.

        ``overrides`` are field values that win over the environment (tests, benchmarks);
        they are validated like the rest. Raises ``SettingsError`` listing every problem.
        """
        unknown = sorted(set(overrides) - set(cls.model_fields))
        if unknown:
            raise TypeError(f"Settings has no field {', '.join(unknown)}")
        environ = os.environ if environ is None else environ
        values = {
            name: value
            for name, field in cls.model_fields.items()
            if (value := environ.get(variable_name(name, field))) is not None
        }
        values.update(overrides)
        problems: list[tuple[str, str]] = []
        while True:  # a field that fails takes its default, so the others are checked too
            failed = {name for name, _ in problems}
            try:
                settings = cls.model_validate({k: v for k, v in values.items() if k not in failed})
                break
            except ValidationError as error:
                found = [_field_problem(item) for item in error.errors()]
                if not {name for name, _ in found} - failed:
                    raise  # a default is invalid: a bug here, not in the environment
                problems += found
        # A rule about a field that failed would only judge its default.
        problems += [item for item in settings._combination_problems() if item[0] not in failed]
        if problems:
            order = list(cls.model_fields)
            problems.sort(key=lambda item: order.index(item[0]))
            fields = cls.model_fields
            raise SettingsError([f"{variable_name(n, fields[n])}: {p}" for n, p in problems])
        return settings

    def validate(self) -> None:  # type: ignore[override]
        """Refuse settings that must never reach a running server (``create_app`` calls it).

        Checks every field and their combination again, so settings changed with
        ``model_copy(update=…)`` are refused like ones read from the environment.
        """
        type(self).from_env({}, **dict(self))


def _field_problem(error: Any) -> tuple[str, str]:
    """(field, message) of one pydantic error, without pydantic's "Value error, " prefix."""
    return str(error["loc"][0]), str(error["msg"]).removeprefix("Value error, ")
