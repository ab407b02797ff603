"""Passwords, answers and one-time codes: how they are made, hashed and compared."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
import unicodedata

from flask import current_app, has_app_context
from werkzeug.security import check_password_hash, generate_password_hash

#: scrypt's work factor (N) when no app says otherwise: werkzeug's default.
DEFAULT_SCRYPT_N = 32768
SCRYPT_R = 8
SCRYPT_P = 1

#: One hash per work factor, so that verifying an unknown user costs as much as a known one.
_DUMMY_HASHES: dict[int, str] = {}


def scrypt_work_factor() -> int:
    """The work factor new hashes get: the process setting ``SHEBAO_PASSWORD_SCRYPT_N``.

    Each hash records its own parameters (``scrypt:N:r:p$salt$hash``), so a hash made under one
    setting still verifies under another; the tests lower it to keep hashing cheap.
    """
    if not has_app_context():
        return DEFAULT_SCRYPT_N
    settings = current_app.config.get("SHEBAO_SETTINGS")
    return int(getattr(settings, "password_scrypt_n", DEFAULT_SCRYPT_N))


def hash_secret(value: str) -> str:
    """A salted, slow hash (scrypt) for passwords and security answers."""
    method = f"scrypt:{scrypt_work_factor()}:{SCRYPT_R}:{SCRYPT_P}"
    return generate_password_hash(value, method=method)


def verify_secret(stored_hash: str | None, value: str) -> bool:
    if not stored_hash:
        work_factor = scrypt_work_factor()
        if work_factor not in _DUMMY_HASHES:
            _DUMMY_HASHES[work_factor] = hash_secret("not-a-password")
        check_password_hash(_DUMMY_HASHES[work_factor], value)  # same work: timing tells nothing
        return False
    return check_password_hash(stored_hash, value)


def keyed_digest(*parts: str) -> str:
    """HMAC-SHA256 under the app's secret key: for short codes and lookup keys."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def normalise_answer(answer: str) -> str:
    """Answers compare ignoring case, width (全角/半角) and spacing."""
    text = unicodedata.normalize("NFKC", answer or "").casefold()
    return " ".join(text.split())


def character_classes(password: str) -> int:
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


def random_password(length: int = 10) -> str:
    """A random password with lower, upper and digits (meets any policy up to 3 classes)."""
    alphabet = string.ascii_letters + string.digits
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(max(length, 8)))
        if character_classes(candidate) >= 3:
            return candidate


def numeric_code(digits: int = 6) -> str:
    return f"{secrets.randbelow(10**digits):0{digits}d}"
