"""Column types of import rows: how the text of a cell becomes a value, or why it cannot.

Each type is pydantic metadata for ``Annotated``: ``name: Annotated[str, Text(64, 1)]``. Its
``parse`` gets the cell's text, stripped (an empty optional cell never reaches it: the field
takes its default; an empty required one does, unless the row reports blanks as missing),
and returns the value or raises ``ValueError(reason)``; the reason is what the file's author
reads after ``LINE: column:``. ``kind``, ``rule`` and ``choices`` describe the column in
docs/import.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar, get_args, get_origin

from pydantic.fields import FieldInfo
from pydantic_core import core_schema

from ..money import to_fen
from ..time import local_to_utc, utcnow

DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
AMOUNT = re.compile(r"^[0-9]{1,10}(\.[0-9]{1,2})?$")
FIRST_YEAR, LAST_YEAR = 1990, 2100


class Cell:
    """Base of the column types."""

    kind: ClassVar[str] = "text"

    def parse(self, text: str) -> Any:
        raise NotImplementedError

    def rule(self) -> str:
        """What a value must look like, for docs/import.md."""
        return ""

    def choices(self) -> Mapping[str, tuple[str, ...]]:
        """The allowed codes with their synonyms (enumerations only)."""
        return {}

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.no_info_before_validator_function(self.parse, handler(source))


def cell_of(info: FieldInfo) -> Cell | None:
    """The column type of a field, also inside an optional one (``Annotated[…] | None``)."""
    metadata = list(info.metadata)
    for argument in get_args(info.annotation):
        if get_origin(argument) is Annotated:
            metadata += argument.__metadata__
    return next((item for item in metadata if isinstance(item, Cell)), None)


class Reference:
    """Mixin of a column type that names a row of another table already in the city.

    The engine looks every value of the column up (``lookup(city, values)``: the id of each
    value found) and hands the write step the id as ``target`` (``person_id``) instead of the
    value; a value not found is a problem of its line: ``missing`` (``{city}``: the city's
    code). ``noun`` names the row in problems, ``described`` in docs/import.md.
    """

    target: ClassVar[str]
    noun: ClassVar[str]
    missing: ClassVar[str]
    described: ClassVar[str]

    def lookup(self, city: str, values: Collection[Any]) -> Mapping[Any, int]:
        raise NotImplementedError


@dataclass(frozen=True)
class Text(Cell):
    """Free text of at most ``max_length`` characters (and at least ``min_length``, if given)."""

    max_length: int
    min_length: int | None = None

    def parse(self, text: str) -> str:
        if self.min_length is not None:
            if not self.min_length <= len(text) <= self.max_length:
                raise ValueError(f"must be {self.min_length} to {self.max_length} characters")
        elif not text:
            raise ValueError("must not be empty")
        elif len(text) > self.max_length:
            raise ValueError(f"must be at most {self.max_length} characters")
        return text

    def rule(self) -> str:
        if self.min_length is not None:
            return f"{self.min_length} to {self.max_length} characters"
        return f"at most {self.max_length} characters"


@dataclass(frozen=True)
class Pattern(Cell):
    """Text that matches a regular expression (or passes a check), else ``message``."""

    check: str | re.Pattern | Callable[[str], bool]
    message: str
    upper: bool = False
    kind: str = "text"

    def parse(self, text: str) -> str:
        value = text.upper() if self.upper else text
        if isinstance(self.check, str | re.Pattern):
            matches = re.fullmatch(self.check, value)
        else:
            matches = self.check(value)
        if not matches:
            raise ValueError(self.message)
        return value

    def rule(self) -> str:
        rule = self.message.removeprefix("must be ")
        return f"{rule} (upper-cased)" if self.upper else rule


#: A mainland mobile number.
MOBILE = Pattern(r"1[3-9][0-9]{9}", "must be an 11-digit mobile number", kind="phone")


@dataclass(frozen=True)
class Date(Cell):
    kind: ClassVar[str] = "date"

    def parse(self, text: str) -> date:
        try:
            if DATE.match(text):
                return date.fromisoformat(text)
        except ValueError:
            pass
        raise ValueError(f"{text!r} is not a date in the form YYYY-MM-DD")

    def rule(self) -> str:
        return "YYYY-MM-DD"


@dataclass(frozen=True)
class Month(Cell):
    """A calendar month, held as the date of its first day."""

    kind: ClassVar[str] = "month"

    def parse(self, text: str) -> date:
        match = MONTH.match(text)
        if (
            not match
            or not 1 <= int(match.group(2)) <= 12
            or not FIRST_YEAR <= int(match.group(1)) <= LAST_YEAR
        ):
            raise ValueError(f"{text!r} is not a month in the form YYYY-MM")
        return date(int(match.group(1)), int(match.group(2)), 1)

    def rule(self) -> str:
        return f"YYYY-MM, {FIRST_YEAR} to {LAST_YEAR}"


@dataclass(frozen=True)
class Amount(Cell):
    """Yuan, not negative, at most two decimals, written plainly (``3300``, ``264.5``)."""

    kind: ClassVar[str] = "amount"

    def parse(self, text: str) -> Decimal:
        if not AMOUNT.match(text):
            raise ValueError(f"{text!r} is not an amount in yuan with at most two decimals")
        return to_fen(text)

    def rule(self) -> str:
        return "yuan, not negative, at most two decimals"


@dataclass(frozen=True)
class Whole(Cell):
    """A whole number from ``low`` to ``high`` (``high`` may be computed when a row is read)."""

    low: int
    high: int | Callable[[], int]
    high_text: str | None = None
    kind: ClassVar[str] = "whole number"

    def parse(self, text: str) -> int:
        high = self.high() if callable(self.high) else self.high
        if not text.isascii() or not text.isdigit() or not self.low <= int(text) <= high:
            raise ValueError(f"must be a whole number from {self.low} to {high}")
        return int(text)

    def rule(self) -> str:
        return f"{self.low} to {self.high_text or self.high}"


@dataclass(frozen=True, eq=False)
class Choice(Cell):
    """One of a set of codes, also given by a synonym (a Chinese term) or in another case.

    ``values`` is an iterable of codes (an enumeration) or a mapping of code → synonyms. The
    refusal lists the codes (with their first synonym when ``names_in_message``), unless a
    ``message`` is given.
    """

    values: Iterable[str] | Mapping[str, Iterable[str]]
    message: str | None = None
    names_in_message: bool = False
    codes: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    lookup: dict[str, str] = field(init=False, repr=False, compare=False)
    kind: ClassVar[str] = "code"

    def __post_init__(self) -> None:
        if isinstance(self.values, Mapping):
            codes = {str(code): tuple(names) for code, names in self.values.items()}
        else:
            codes = {str(code): () for code in self.values}
        lookup = {code.casefold(): code for code in codes}
        lookup.update({name: code for code, names in codes.items() for name in names})
        object.__setattr__(self, "codes", codes)
        object.__setattr__(self, "lookup", lookup)

    @classmethod
    def with_synonyms(cls, codes: Iterable[str], synonyms: Mapping[str, str]) -> Choice:
        """The codes, each also given by the synonyms that ``synonyms`` maps to it."""
        return cls(
            {
                code: tuple(name for name, named in synonyms.items() if named == code)
                for code in codes
            }
        )

    def parse(self, text: str) -> str:
        code = self.lookup.get(text) or self.lookup.get(text.casefold())
        if code is None:
            raise ValueError(self.message or f"must be one of {self._listed()}")
        return code

    def _listed(self) -> str:
        if self.names_in_message:
            return ", ".join(
                f"{code} ({names[0]})" if names else code for code, names in self.codes.items()
            )
        return ", ".join(self.codes)

    def choices(self) -> Mapping[str, tuple[str, ...]]:
        return self.codes


@dataclass(frozen=True)
class LocalTime(Cell):
    """An instant: ``YYYY-MM-DD HH:MM[:SS]`` in Beijing time, or ISO 8601 with an offset."""

    past_only: bool = True
    kind: ClassVar[str] = "time"

    def parse(self, text: str) -> datetime:
        try:
            moment = local_to_utc(datetime.fromisoformat(text))
        except ValueError:
            raise ValueError(f"{text!r} is not a time in the form YYYY-MM-DD HH:MM") from None
        if self.past_only and moment > utcnow():
            raise ValueError(f"{text!r} is in the future")
        return moment

    def rule(self) -> str:
        rule = "YYYY-MM-DD HH:MM[:SS] in Beijing time, or ISO 8601 with an offset"
        return f"{rule}; not in the future" if self.past_only else rule
