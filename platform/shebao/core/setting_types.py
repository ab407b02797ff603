"""How one ``SHEBAO_*`` value is read: the annotated types the ``Settings`` fields use.

Each type turns the string an environment holds (or a Python value a test passes) into the
value the app uses, or raises ``ValueError`` with a sentence that completes
``SHEBAO_NAME: …``. Values are stripped of surrounding blanks first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ValidationInfo
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

#: The repository checkout that holds ``cities/``, ``themes/`` and ``migrations/``.
PROJECT_ROOT = Path(__file__).resolve().parents[3]

_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
_DOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")
_STORAGE_URL = re.compile(r"[a-z][a-z0-9+.-]*://\S*")
_ON, _OFF = ("on", "true", "1", "yes"), ("off", "false", "0", "no")


def stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def choice(choices: tuple[str, ...]) -> Callable[[Any], Any]:
    """One of ``choices``, whatever the case."""

    def check(value: Any) -> Any:
        value = stripped(value)
        value = value.lower() if isinstance(value, str) else value
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}, not {value!r}")
        return value

    return check


def or_default(default: str) -> Callable[[Any], Any]:
    """Empty means ``default`` (for secrets: an empty line in the env file is the default)."""
    return lambda value: stripped(value) or default


def _path(root: Path, value: Any) -> Any:
    value = stripped(value)
    if value == "":
        raise ValueError("must not be empty (leave the variable out to get the default)")
    if not isinstance(value, str | Path):
        return value
    path = Path(value)
    return path if path.is_absolute() else (root / path).resolve()


def _from_root(value: Any, info: ValidationInfo) -> Any:
    """Relative paths are taken from the ``root`` field, validated before."""
    return _path(info.data.get("root", PROJECT_ROOT), value)


def _in_instance_folder(name: str, info: ValidationInfo) -> Path:
    """``name`` inside the ``instance_dir`` field, validated before."""
    return info.data.get("instance_dir", PROJECT_ROOT / "instance") / name


def _instance_file(name: str) -> Callable[[Any, ValidationInfo], Any]:
    def check(value: Any, info: ValidationInfo) -> Any:
        if value is None or stripped(value) == "":
            return _in_instance_folder(name, info)
        return _from_root(value, info)

    return check


def _on_or_off(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    flag = str(value).strip().lower()
    if flag not in _ON + _OFF:
        raise ValueError(f"must be on or off, not {value!r}")
    return flag in _ON


def _domain(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    domain = value.strip().lower().strip(".")
    if not domain:
        raise ValueError("must not be empty")
    if not _DOMAIN.fullmatch(domain):
        raise ValueError(
            "must be a domain name such as shebao.example.gov.cn (no scheme, port or path), "
            f"not {value!r}"
        )
    return domain


def _database_url(value: Any, info: ValidationInfo) -> Any:
    """Empty means SQLite in the instance folder; ``postgresql://`` means psycopg 3."""
    url = stripped(value)
    if url == "":
        return f"sqlite:///{_in_instance_folder('shebao.sqlite3', info)}"
    if not isinstance(url, str):
        return url
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix) :]
    # Never echo the URL: it may hold a password.
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ValueError("not a database URL (for example postgresql://shebao@/shebao)") from None
    try:
        dialect = parsed.get_dialect()
    except NoSuchModuleError:
        raise ValueError(
            f"unknown database {parsed.drivername!r} (use postgresql:// or sqlite:///)"
        ) from None
    try:  # a missing driver would otherwise surface as a traceback at the first query
        dialect.import_dbapi()
    except ImportError:
        raise ValueError(
            f"the driver of {parsed.drivername!r} is not installed (postgresql:// uses psycopg 3)"
        ) from None
    return url


def _http_url(value: str) -> str:
    if value and not value.startswith(("https://", "http://")):
        raise ValueError("must be an https:// (or http://) URL")  # not echoed: may hold a key
    return value


def _storage_url(value: Any) -> Any:
    value = stripped(value)
    if isinstance(value, str) and not _STORAGE_URL.fullmatch(value):
        # not echoed: a Redis URL may hold a password
        raise ValueError("must be a storage URL such as memory:// or redis://127.0.0.1:6379/0")
    return value


_REDIS_URL = re.compile(r"(redis|rediss|unix)://\S+")
_ADDRESS = re.compile(
    r"(?:(?P<scheme>https?)://)?(?P<host>[A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\]):(?P<port>[0-9]{1,5})"
)


def _redis_url(value: Any) -> Any:
    value = stripped(value)
    if isinstance(value, str) and value and not _REDIS_URL.fullmatch(value):
        # not echoed: a Redis URL may hold a password
        raise ValueError("must be a Redis URL such as redis://127.0.0.1:6379/1, or empty")
    return value


def _address(value: Any) -> Any:
    value = stripped(value)
    if isinstance(value, str) and value:
        match = _ADDRESS.fullmatch(value)
        if not match or not 0 < int(match["port"]) < 65536:
            raise ValueError(
                "must be host:port such as 127.0.0.1:80 (or http://host:port to connect "
                f"without TLS), or empty, not {value!r}"
            )
    return value


def _whole_number(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return int(value.strip())
    except ValueError:
        raise ValueError(f"must be a whole number, not {value!r}") from None


def power_of_two(low: int, high: int) -> Callable[[int], int]:
    def check(value: int) -> int:
        if not (low <= value <= high and value & (value - 1) == 0):
            low_exp, high_exp = low.bit_length() - 1, high.bit_length() - 1
            raise ValueError(
                f"must be a power of two from {low} (2**{low_exp}) to {high} (2**{high_exp}), "
                f"not {value}"
            )
        return value

    return check


#: The project folder itself: relative values are taken from ``PROJECT_ROOT``.
Root = Annotated[Path, BeforeValidator(lambda value: _path(PROJECT_ROOT, value))]
#: A folder; relative values are taken from the ``root`` field.
Folder = Annotated[Path, BeforeValidator(_from_root)]
#: A file; empty or unset means ``sms_outbox.jsonl`` in the instance folder.
OutboxFile = Annotated[Path, BeforeValidator(_instance_file("sms_outbox.jsonl"))]
Flag = Annotated[bool, BeforeValidator(_on_or_off)]
Stripped = Annotated[str, BeforeValidator(stripped)]
HttpUrl = Annotated[Stripped, AfterValidator(_http_url)]
DomainName = Annotated[str, BeforeValidator(_domain)]
DatabaseUrl = Annotated[str, BeforeValidator(_database_url)]
StorageUrl = Annotated[str, BeforeValidator(_storage_url)]
RedisUrl = Annotated[str, BeforeValidator(_redis_url)]
Address = Annotated[str, BeforeValidator(_address)]
WholeNumber = Annotated[int, BeforeValidator(_whole_number)]
