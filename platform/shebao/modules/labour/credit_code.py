"""The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters, last a check."""

from __future__ import annotations

import re

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_SHAPE = re.compile(rf"^[{CHARSET}]{{18}}$")


def check_character(first17: str) -> str:
    total = sum(
        CHARSET.index(char) * weight for char, weight in zip(first17, _WEIGHTS, strict=True)
    )
    return CHARSET[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    return bool(_SHAPE.match(code)) and check_character(code[:17]) == code[17]


def make_credit_code(division_code: str, organisation: int) -> str:
    """A valid code of an enterprise (91…) registered in ``division_code``, for demo data."""
    digits = f"{organisation % 10**8:08d}"
    first17 = f"91{division_code[:6]}{digits}{CHARSET[organisation % 31]}"
    return first17 + check_character(first17)
