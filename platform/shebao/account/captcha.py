"""The login captcha: an image drawn by the ``captcha`` package, checked once, for 5 minutes.

The answer is stored server-side (as an HMAC) and the browser's session only holds the
challenge's token, so a replayed cookie cannot reuse a solved captcha. These helpers hold
the challenge's token in the browser's session; they never commit: the view ends each check
as its own unit of work, so a challenge is used up even when the login is then refused.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app, session
from sqlalchemy import delete, update

from ..core.extensions import db
from ..core.time import utcnow
from ..tenancy.city import City
from .models import CaptchaChallenge
from .secrets import keyed_digest

LIFETIME = timedelta(minutes=5)
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
LENGTH = 4
SESSION_KEY = "captcha_token"


def new_text() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def _digest(token: str, answer: str) -> str:
    return keyed_digest("captcha", token, answer.strip().upper())


def enabled() -> bool:
    return current_app.config["SHEBAO_SETTINGS"].captcha


def new_challenge(city: City) -> bytes:
    """Create a challenge for this browser session and return its PNG image."""
    from captcha.image import ImageCaptcha

    text = new_text()
    token = secrets.token_urlsafe(24)
    now = utcnow()
    db.session.execute(
        delete(CaptchaChallenge).where(
            CaptchaChallenge.city == city.code, CaptchaChallenge.expires_at < now
        )
    )
    db.session.add(
        CaptchaChallenge(
            city=city.code,
            token=token,
            answer_hash=_digest(token, text),
            expires_at=now + LIFETIME,
        )
    )
    session[SESSION_KEY] = token
    return ImageCaptcha(width=160, height=60).generate(text).getvalue()


def check(city: City, answer: str) -> bool:
    """True once for the right answer within its lifetime; the challenge is used up either way."""
    if not enabled():
        return True
    token = session.pop(SESSION_KEY, None)
    if not token or not answer:
        return False
    used = db.session.execute(
        update(CaptchaChallenge)
        .where(
            CaptchaChallenge.city == city.code,
            CaptchaChallenge.token == token,
            CaptchaChallenge.used.is_(False),
            CaptchaChallenge.expires_at >= utcnow(),
        )
        .values(used=True)
        .returning(CaptchaChallenge.answer_hash)
    ).scalar_one_or_none()
    return used is not None and used == _digest(token, answer)
