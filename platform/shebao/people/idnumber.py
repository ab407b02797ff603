"""The resident identity number (GB 11643-1999): 18 characters with an ISO 7064 check digit."""

from __future__ import annotations

import re
from datetime import date

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"^[1-9][0-9]{16}[0-9X]$")


class InvalidIdNumber(ValueError):
    pass


def check_digit(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalise_id_number(value: str) -> str:
    """Upper-case the final x, strip spaces; raise ``InvalidIdNumber`` saying what is wrong."""
    number = (value or "").strip().upper()
    if len(number) != 18:
        raise InvalidIdNumber("must be 18 characters")
    if not _SHAPE.match(number):
        raise InvalidIdNumber("must be 17 digits followed by a digit or X")
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdNumber("contains an impossible birth date") from None
    if check_digit(number[:17]) != number[17]:
        raise InvalidIdNumber("check digit does not match")
    return number


def is_valid_id_number(value: str) -> bool:
    try:
        normalise_id_number(value)
    except InvalidIdNumber:
        return False
    return True


def birth_date_of(number: str) -> date:
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def sex_of(number: str) -> str:
    """``"M"`` or ``"F"`` from the 17th digit (odd = male)."""
    return "M" if int(number[16]) % 2 else "F"


def mask_id_number(number: str) -> str:
    """``371602199001011234`` → ``3716**********1234``: region prefix and last four only."""
    if not number or len(number) < 8:
        return "*" * len(number or "")
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(phone: str | None) -> str:
    """``13800000001`` → ``138****0001``: the first three and last four digits only; empty
    when there is none."""
    phone = phone or ""
    if len(phone) < 8:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_name(name: str) -> str:
    """``张三丰`` → ``张**``."""
    return name[:1] + "*" * (len(name) - 1) if name else ""


def make_id_number(region: str, birth: date, sequence: int) -> str:
    """A valid number for demo data: region (6 digits), birth date, 3-digit sequence."""
    first17 = f"{region}{birth:%Y%m%d}{sequence % 1000:03d}"
    return first17 + check_digit(first17)
