"""Value types used in city YAML, each with a message that says what is wrong."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, WithJsonSchema

from ..core.i18n import ANY_LOCALE, LOCALES


class Frozen(BaseModel):
    """Base of every YAML model: unknown keys are errors, values never change after loading."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


def _label(value: Any) -> dict[str, str]:
    if isinstance(value, str):
        if not value.strip():
            raise ValueError("must not be empty")
        return {ANY_LOCALE: value}
    if isinstance(value, dict):
        if not value:
            raise ValueError("must name at least one language")
        for locale, text in value.items():
            if locale not in LOCALES:
                raise ValueError(f"unknown language {locale!r} (known: {', '.join(LOCALES)})")
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"the {locale} text must be a non-empty string")
        return dict(value)
    raise ValueError("must be a string or a mapping of language to string")


Label = Annotated[
    dict[str, str],
    BeforeValidator(_label),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "minLength": 1},
                {
                    "type": "object",
                    "properties": {
                        locale: {"type": "string", "minLength": 1} for locale in LOCALES
                    },
                    "additionalProperties": False,
                    "minProperties": 1,
                },
            ],
            "description": "One string for every language, or one string per language (zh_CN, en)",
        }
    ),
]


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("must be a number")
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValueError("must be a number") from None
    if not number.is_finite():
        raise ValueError("must be a number")
    return number


_MAX_AMOUNT = Decimal("9999999999.99")


def _amount(value: Any) -> Decimal:
    try:
        number = _decimal(value)
    except ValueError:
        raise ValueError("must be a positive amount") from None
    if number <= 0:
        raise ValueError("must be a positive amount")
    if number > _MAX_AMOUNT:  # also keeps quantize() below within the decimal context
        raise ValueError(f"must be at most {_MAX_AMOUNT} (money columns are Numeric(12, 2))")
    if number != number.quantize(Decimal("0.01")):
        raise ValueError("must be an amount in yuan with at most two decimals (fen)")
    return number.quantize(Decimal("0.01"))


def _rate(value: Any) -> Decimal:
    try:
        number = _decimal(value)
    except ValueError:
        raise ValueError("must be a rate between 0 and 1, such as 0.08") from None
    if not (0 <= number <= 1):
        raise ValueError("must be a rate between 0 and 1, such as 0.08")
    return number


#: Money in yuan, > 0, at most two decimals (fen).
Amount = Annotated[
    Decimal,
    BeforeValidator(_amount),
    WithJsonSchema({"type": "number", "exclusiveMinimum": 0, "multipleOf": 0.01}),
]
#: A contribution rate as a fraction (0.08 = 8 %).
Rate = Annotated[
    Decimal,
    BeforeValidator(_rate),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 1}),
]

_SLUG = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


def _slug(value: Any) -> str:
    if not isinstance(value, str) or not _SLUG.match(value):
        raise ValueError(
            "must be 1–32 lower-case letters, digits, '-' or '_', starting with a letter"
        )
    return value


Slug = Annotated[
    str, BeforeValidator(_slug), WithJsonSchema({"type": "string", "pattern": _SLUG.pattern})
]


def matching(pattern: str, message: str) -> BeforeValidator:
    """A check that a value is a string matching ``pattern``, failing with ``message``.

    Put it next to ``Field(pattern=...)``: the JSON Schema keeps the pattern, and a city
    file gets a reason in words instead of pydantic's "String should match pattern '…'".
    """
    regex = re.compile(pattern)

    def check(value: Any) -> Any:
        if not isinstance(value, str) or not regex.fullmatch(value):
            raise ValueError(message)
        return value

    return BeforeValidator(check)


def _year(value: Any) -> int:
    try:
        year = int(str(value))
    except ValueError:
        raise ValueError("must be a year such as 2026") from None
    if not 1990 <= year <= 2100:
        raise ValueError("must be a year between 1990 and 2100")
    return year


#: A year key of a money rule table: the rule applies from that year until the next key.
Year = Annotated[int, BeforeValidator(_year), WithJsonSchema({"type": "integer"})]


def rule_for_year(table: dict[int, Any], year: int):
    """The rule of a per-year table in force in ``year`` (latest key ≤ year), or None."""
    years = [key for key in table if key <= year]
    return table[max(years)] if years else None
