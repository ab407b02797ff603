"""The login captcha: a picture, or digits read aloud, checked once, for 5 minutes.

The answer is stored server-side (as an HMAC) and the browser's session only holds the
challenge's token, so a replayed cookie cannot reuse a solved captcha. These helpers hold
the challenge's token in the browser's session; they never commit: the view ends each check
as its own unit of work, so a challenge is used up even when the login is then refused.

Every picture is a new challenge. A resident who asks to hear the code gets a digits-only
challenge (the ``captcha`` package's ``AudioCaptcha`` speaks digits from the voice files in
``voices/<language>/<digit>/``, made by ``scripts/make_captcha_voices.py``): the picture is
drawn with the same digits, and its sound may then be fetched once. That one-time "sound
ticket" is a row of the same store, under the token ``<challenge token>.wav``, holding the
digits enciphered under a key derived from the app's secret and the token (never the digits
themselves). Fetching the sound again, or without a picture, starts a new digits challenge.
"""

from __future__ import annotations

import secrets
import threading
import unicodedata
from datetime import timedelta
from pathlib import Path

from flask import current_app, session
from sqlalchemy import delete, update

from ..core.extensions import db
from ..core.i18n import current_locale
from ..core.time import utcnow
from ..tenancy.city import City
from .models import CaptchaChallenge
from .secrets import keyed_digest, same

LIFETIME = timedelta(minutes=5)
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
LENGTH = 4
DIGITS = "0123456789"
#: Six digits (10**6) are about as hard to guess as four letters of ALPHABET (32**4).
DIGITS_LENGTH = 6
SESSION_KEY = "captcha_token"
#: Set once the resident asked to hear the code: their later challenges are digits-only.
AUDIO_KEY = "captcha_audio"
SOUND_TICKET = ".wav"
VOICES = Path(__file__).with_name("voices")
#: Voice folder by locale key; a locale without its own voices uses the English ones.
VOICE_LANGUAGES = {"zh_CN": "zh", "en": "en"}

_speakers: dict[str, object] = {}
_speakers_lock = threading.Lock()


def new_text() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def new_digits() -> str:
    return "".join(secrets.choice(DIGITS) for _ in range(DIGITS_LENGTH))


def _normalise(answer: str) -> str:
    """Case, width (全角 digits from a Chinese keyboard) and spaces do not matter."""
    return "".join(unicodedata.normalize("NFKC", answer).split()).upper()


def _digest(token: str, answer: str) -> str:
    return keyed_digest("captcha", token, _normalise(answer))


def _keystream(token: str) -> list[int]:
    digest = bytes.fromhex(keyed_digest("captcha-sound", token))
    return [int.from_bytes(digest[i : i + 2], "big") for i in range(0, len(digest), 2)]


def _shift(token: str, digits: str, sign: int) -> str:
    keys = _keystream(token)[: len(digits)]
    return "".join(DIGITS[(int(d) + sign * k) % 10] for d, k in zip(digits, keys, strict=True))


def _seal(token: str, digits: str) -> str:
    return _shift(token, digits, +1)


def _unseal(token: str, sealed: str) -> str:
    return _shift(token, sealed, -1)


def enabled() -> bool:
    return current_app.config["SHEBAO_SETTINGS"].captcha


def audio_chosen() -> bool:
    """Whether this browser asked to hear the code (its challenges are then digits-only)."""
    return bool(session.get(AUDIO_KEY))


def choose(audio: bool) -> None:
    """The resident asked for a new code, as a picture only or also as sound: the challenge
    they have is forgotten (the next picture or sound is a new one)."""
    session.pop(SESSION_KEY, None)
    if audio:
        session[AUDIO_KEY] = True
    else:
        session.pop(AUDIO_KEY, None)


def _create(city: City, text: str, *, sound_ticket: bool = False) -> None:
    token = secrets.token_urlsafe(24)
    now = utcnow()
    db.session.execute(
        delete(CaptchaChallenge).where(
            CaptchaChallenge.city == city.code, CaptchaChallenge.expires_at < now
        )
    )
    db.session.add(
        CaptchaChallenge(
            city=city.code, token=token, answer_hash=_digest(token, text), expires_at=now + LIFETIME
        )
    )
    if sound_ticket:
        db.session.add(
            CaptchaChallenge(
                city=city.code,
                token=token + SOUND_TICKET,
                answer_hash=_seal(token, text),
                expires_at=now + LIFETIME,
            )
        )
    session[SESSION_KEY] = token


def new_challenge(city: City, *, audio: bool = False) -> bytes:
    """Create a challenge for this browser session and return its PNG picture.

    Digits-only, with a sound ticket, when the resident asked for sound (``audio`` or earlier).
    """
    from captcha.image import ImageCaptcha

    if audio:
        session[AUDIO_KEY] = True
    if audio_chosen():
        text = new_digits()
        _create(city, text, sound_ticket=True)
        width = 200
    else:
        text = new_text()
        _create(city, text)
        width = 160
    return ImageCaptcha(width=width, height=60).generate(text).getvalue()


def _claim_sound(city: City) -> str | None:
    """The digits of this session's challenge if its sound was not served yet (once)."""
    token = session.get(SESSION_KEY)
    if not token:
        return None
    sealed = db.session.execute(
        update(CaptchaChallenge)
        .where(
            CaptchaChallenge.city == city.code,
            CaptchaChallenge.token == token + SOUND_TICKET,
            CaptchaChallenge.used.is_(False),
            CaptchaChallenge.expires_at >= utcnow(),
        )
        .values(used=True)
        .returning(CaptchaChallenge.answer_hash)
    ).scalar_one_or_none()
    return None if sealed is None else _unseal(token, sealed)


def _speaker(locale: str):
    """One ``AudioCaptcha`` per voice folder, loaded once per process."""
    from captcha.audio import AudioCaptcha

    folder = VOICES / VOICE_LANGUAGES.get(locale, "en")
    key = str(folder)
    with _speakers_lock:
        if key not in _speakers:
            # Without the project's voices, the package's own (English) digits still speak.
            speaker = AudioCaptcha(voicedir=key if folder.is_dir() else None)
            speaker.load()
            _speakers[key] = speaker
        return _speakers[key]


def sound(city: City) -> bytes:
    """The WAV of this session's digits challenge, served once; else of a new one."""
    session[AUDIO_KEY] = True
    digits = _claim_sound(city)
    if digits is None:
        digits = new_digits()
        _create(city, digits)
    return bytes(_speaker(current_locale()).generate(digits))


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
    return used is not None and same(used, _digest(token, answer))
