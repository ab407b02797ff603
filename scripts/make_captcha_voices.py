"""Regenerate the audio captcha's voice files with espeak-ng (a packaged text-to-speech).

The files are committed, so neither the app nor CI needs a text-to-speech engine; run this only
to change the voices. It needs ``espeak-ng`` (Debian: ``apt-get install espeak-ng``):

    .venv/bin/python scripts/make_captcha_voices.py

It writes ``platform/shebao/account/voices/<language>/<digit>/<variant>.wav`` for the digits
0-9 in Mandarin (``zh``) and English (``en``), a few speakers each (the ``captcha`` package's
``AudioCaptcha`` picks one at random for every digit it speaks). Each file is in the format
``AudioCaptcha`` mixes: 8 kHz, mono, 8-bit unsigned PCM, with the silence around the word cut.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import wave
from array import array
from pathlib import Path

VOICES = Path(__file__).resolve().parent.parent / "platform" / "shebao" / "account" / "voices"
RATE = 8000
#: Words per language, and espeak-ng voices (language + variant) to say them with.
LANGUAGES = {
    "zh": {
        "words": ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"],
        "voices": ["cmn+m3", "cmn+f2", "cmn+f4"],
    },
    "en": {
        "words": ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
        "voices": ["en-us+m3", "en-gb+f2", "en-us+f4"],
    },
}
#: Words per minute: a little slower than espeak-ng's default 175, for older residents.
SPEED = "140"
#: Samples quieter than this (of 32767) at either end count as silence.
SILENCE = 600


def speak(text: str, voice: str) -> tuple[array, int]:
    """espeak-ng's 16-bit mono samples of ``text`` and their rate."""
    out = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", SPEED, "--stdout", text],
        check=True,
        capture_output=True,
    ).stdout
    with wave.open(io.BytesIO(out)) as source:
        assert source.getsampwidth() == 2 and source.getnchannels() == 1
        samples = array("h", source.readframes(source.getnframes()))
        return samples, source.getframerate()


def trim(samples: array) -> list[int]:
    loud = [i for i, value in enumerate(samples) if abs(value) > SILENCE]
    if not loud:
        return list(samples)
    return list(samples[max(loud[0] - 80, 0) : loud[-1] + 80])


def resample(samples: list[int], rate: int) -> list[float]:
    """Down to RATE: a moving average as a low-pass filter, then linear interpolation."""
    width = max(1, round(rate / RATE))
    smooth = [
        sum(samples[max(0, i - width + 1) : i + 1]) / len(samples[max(0, i - width + 1) : i + 1])
        for i in range(len(samples))
    ]
    step = rate / RATE
    out = []
    position = 0.0
    while position < len(smooth) - 1:
        left = int(position)
        fraction = position - left
        out.append(smooth[left] * (1 - fraction) + smooth[left + 1] * fraction)
        position += step
    return out


def to_unsigned_8bit(samples: list[float]) -> bytes:
    """Louder to 90 % of full scale, then 8-bit unsigned (silence is 128)."""
    peak = max((abs(value) for value in samples), default=1.0) or 1.0
    scale = 0.9 * 127 / peak
    return bytes(max(0, min(255, round(128 + value * scale))) for value in samples)


def write(path: Path, frames: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as target:
        target.setnchannels(1)
        target.setsampwidth(1)
        target.setframerate(RATE)
        target.writeframes(frames)


def main() -> int:
    if shutil.which("espeak-ng") is None:
        print("espeak-ng is not installed (apt-get install espeak-ng)", file=sys.stderr)
        return 1
    for language, spec in LANGUAGES.items():
        shutil.rmtree(VOICES / language, ignore_errors=True)
        for digit, word in enumerate(spec["words"]):
            for number, voice in enumerate(spec["voices"], start=1):
                samples, rate = speak(word, voice)
                frames = to_unsigned_8bit(resample(trim(samples), rate))
                write(VOICES / language / str(digit) / f"{number}.wav", frames)
    print(f"wrote {VOICES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
