"""A captcha for everyone: digits read aloud, and a new picture that keeps what was typed.

The suite draws every letters captcha as KNOWN_CAPTCHA (tests/conftest.py patches
``captcha.new_text``); here ``captcha.new_digits`` is patched the same way, so the digits a
resident would hear (and see) are known. The checks themselves stay real.
"""

from __future__ import annotations

import html
import re
import wave
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from shebao.account import captcha
from shebao.account.models import CaptchaChallenge, LoginThrottle
from shebao.account.services.login import neutral_login_message
from shebao.audit import AuditEvent
from tests.account_helpers import (
    fixture_query,  # noqa: F401 - a fixture
    form_errors,
)
from tests.conftest import KNOWN_CAPTCHA

FIRST, SECOND = "402613", "958071"


@pytest.fixture
def digits(monkeypatch):
    """Digits challenges show FIRST, then SECOND, ...; ``drawn`` lists the ones made."""
    drawn: list[str] = []
    queue = iter([FIRST, SECOND, "111111", "222222"])

    def next_digits() -> str:
        drawn.append(next(queue))
        return drawn[-1]

    monkeypatch.setattr(captcha, "new_digits", next_digits)
    return drawn


@pytest.fixture
def neutral(app):
    """The one message every refused login gets, as the city's page shows it."""

    def message(code: str) -> str:
        with app.test_request_context("/", headers={"Host": f"{code}.localhost"}):
            app.preprocess_request()
            return neutral_login_message()

    return message


def login_with(client, resident, answer: str, password: str | None = None):
    return client.submit(
        "/account/login",
        {
            "id_number": resident.id_number,
            "password": password or resident.password,
            "captcha": answer,
        },
    )


def expire_all(query) -> None:
    past = datetime.now(UTC) - timedelta(seconds=1)
    query(lambda s: (s.execute(update(CaptchaChallenge).values(expires_at=past)), s.commit()))


def assert_wav(response) -> None:
    assert response.status_code == 200
    assert response.mimetype == "audio/wav"
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data()
    assert body[:4] == b"RIFF" and body[8:12] == b"WAVE" and len(body) > 8000


# --- the sound -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang, voices", [("zh_CN", "zh"), ("en", "en")])
def test_the_sound_is_a_wav_of_the_digits_in_the_picture_and_logs_in(
    binzhou, make_resident, digits, lang, voices
):
    resident = make_resident("binzhou")
    binzhou.get(f"/account/login?lang={lang}")
    picture = binzhou.get("/account/captcha.png?audio=1")
    assert picture.mimetype == "image/png" and digits == [FIRST]
    assert_wav(binzhou.get("/account/captcha.wav"))
    assert digits == [FIRST], "the sound speaks the picture's challenge, not a new one"
    assert str(captcha.VOICES / voices) in captcha._speakers
    assert login_with(binzhou, resident, FIRST).status_code == 302


def test_the_project_ships_a_voice_for_every_digit_in_both_languages():
    """In the format AudioCaptcha mixes (8 kHz, mono, 8-bit), so no text-to-speech is needed."""
    for language in ("zh", "en"):
        for digit in "0123456789":
            files = list((captcha.VOICES / language / digit).glob("*.wav"))
            assert files, (language, digit)
            for path in files:
                with wave.open(str(path)) as voice:
                    assert voice.getparams()[:3] == (1, 1, 8000), path
                    assert 0.2 < voice.getnframes() / 8000 < 1.5, path


def test_the_sound_alone_is_a_new_digits_challenge(binzhou, make_resident, digits):
    resident = make_resident("binzhou")
    assert_wav(binzhou.get("/account/captcha.wav"))
    assert digits == [FIRST]
    assert login_with(binzhou, resident, FIRST).status_code == 302


def test_digits_typed_on_a_chinese_keyboard_count(binzhou, make_resident, digits):
    resident = make_resident("binzhou")
    binzhou.get("/account/captcha.wav")
    full_width = FIRST.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert login_with(binzhou, resident, f" {full_width[:3]} {full_width[3:]} ").status_code == 302


def test_the_sound_of_a_challenge_is_served_once(binzhou, make_resident, digits, query, neutral):
    resident = make_resident("binzhou")
    binzhou.get("/account/captcha.png?audio=1")
    binzhou.get("/account/captcha.wav")
    # Asking again does not speak the same digits again (no averaging of noisy copies):
    # it is a new challenge, and the one heard before no longer counts.
    assert_wav(binzhou.get("/account/captcha.wav"))
    assert digits == [FIRST, SECOND]
    tickets = query(
        lambda s: s.execute(
            select(CaptchaChallenge.used, CaptchaChallenge.answer_hash).where(
                CaptchaChallenge.token.like("%.wav")
            )
        ).all()
    )
    assert [used for used, _ in tickets] == [True]
    assert all(FIRST not in stored for _, stored in tickets), "the digits are never stored"
    assert login_with(binzhou, resident, SECOND).status_code == 302


def test_a_heard_challenge_is_used_up_by_one_attempt(binzhou, make_resident, digits, neutral):
    resident = make_resident("binzhou")
    binzhou.get("/account/captcha.png?audio=1")
    binzhou.get("/account/captcha.wav")
    assert form_errors(login_with(binzhou, resident, FIRST, "Wrong2026pass")) == [
        neutral("binzhou")
    ]
    again = login_with(binzhou, resident, FIRST)
    assert again.status_code == 200 and form_errors(again) == [neutral("binzhou")]


def test_the_sound_and_its_challenge_expire(binzhou, make_resident, digits, query, neutral):
    resident = make_resident("binzhou")
    binzhou.get("/account/captcha.png?audio=1")
    expire_all(query)
    # The picture's sound ticket expired with it: the sound is a new challenge.
    assert_wav(binzhou.get("/account/captcha.wav"))
    assert digits == [FIRST, SECOND]
    expire_all(query)
    refused = login_with(binzhou, resident, SECOND)
    assert refused.status_code == 200 and form_errors(refused) == [neutral("binzhou")]


def test_a_picture_expires_and_is_used_once(binzhou, make_resident, query, neutral):
    resident = make_resident("binzhou")
    binzhou.get("/account/captcha.png")
    expire_all(query)
    assert form_errors(login_with(binzhou, resident, KNOWN_CAPTCHA)) == [neutral("binzhou")]
    binzhou.get("/account/captcha.png")
    assert form_errors(login_with(binzhou, resident, KNOWN_CAPTCHA, "Wrong2026pass"))
    assert form_errors(login_with(binzhou, resident, KNOWN_CAPTCHA)) == [neutral("binzhou")]


# --- the login page ------------------------------------------------------------------------


def refresh(client, resident, value: str, password: str | None = None):
    return client.submit(
        "/account/login",
        {
            "id_number": resident.id_number,
            "password": password or resident.password,
            "captcha": "WXYZ",
            "refresh_captcha": value,
        },
    )


def test_show_another_picture_keeps_the_id_number_but_not_the_password(
    binzhou, make_resident, query
):
    resident = make_resident("binzhou")
    binzhou.get("/account/captcha.png")
    page = refresh(binzhou, resident, "picture", password="Wrong2026pass")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"].startswith("no-store")
    assert f'value="{resident.id_number}"' in text
    assert "Wrong2026pass" not in text and 'value="WXYZ"' not in text
    assert form_errors(page) == [] and 'aria-invalid="true"' not in text
    assert re.search(r'<img src="/account/captcha\.png\?r=[0-9]+"', text)
    # No login was attempted: no failure counted, nothing logged.
    assert query(lambda s: s.scalar(select(func.count()).select_from(LoginThrottle))) == 0
    assert query(lambda s: s.scalar(select(func.count()).select_from(AuditEvent))) == 0


def test_show_another_picture_forgets_the_old_challenge(binzhou, make_resident, neutral):
    resident = make_resident("binzhou")
    binzhou.get("/account/captcha.png")
    refresh(binzhou, resident, "picture")
    # Not even the right password logs in through a refresh, and the old picture is gone.
    old = login_with(binzhou, resident, KNOWN_CAPTCHA)
    assert form_errors(old) == [neutral("binzhou")]
    binzhou.get("/account/captcha.png")
    assert login_with(binzhou, resident, KNOWN_CAPTCHA).status_code == 302


def test_listen_shows_the_sound_and_a_digits_picture(binzhou, make_resident, digits):
    resident = make_resident("binzhou")
    before = binzhou.get("/account/login").get_data(as_text=True)
    assert re.search(r"<audio [^>]*hidden", before), "no sound until it is asked for"
    page = refresh(binzhou, resident, "audio")
    text = html.unescape(page.get_data(as_text=True))
    assert f'value="{resident.id_number}"' in text
    assert re.search(
        r'<audio controls preload="none" data-captcha-sound src="/account/captcha\.wav', text
    )
    assert "请输入听到的（或图片中的）6位数字。" in text
    binzhou.get("/account/captcha.png")  # the page's picture: digits from now on
    binzhou.get("/account/captcha.wav")
    assert digits == [FIRST]
    assert login_with(binzhou, resident, FIRST).status_code == 302


def test_enter_in_a_field_logs_in(binzhou):
    """The browser submits with the form's first submit button: "Log in", not a refresh."""
    page = binzhou.get("/account/login").get_data(as_text=True)
    form_and_after = page[page.index('id="login-form"') :]
    buttons = re.findall(r'<(?:input|button)[^>]*type="submit"[^>]*>', form_and_after)
    assert 'name="submit"' in buttons[0]
    refreshes = [b for b in buttons if 'name="refresh_captcha"' in b]
    assert len(refreshes) == 2 and all('form="login-form"' in b for b in refreshes)
