"""Passwords, answers and one-time codes: how they are made, hashed and compared."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
import unicodedata

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

#: Hashed once so that verifying an unknown user costs as much as a known one.
_DUMMY_HASH: str | None = None


def hash_secret(value: str) -> str:
    """A salted, slow hash (scrypt) for passwords and security answers."""
    return generate_password_hash(value, method="scrypt")


def verify_secret(stored_hash: str | None, value: str) -> bool:
    global _DUMMY_HASH
    if not stored_hash:
        _DUMMY_HASH = _DUMMY_HASH or hash_secret("not-a-password")
        check_password_hash(_DUMMY_HASH, value)  # same work, so timing tells nothing
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
