"""What an import kind declares: its row model, its key and its write step.

The engine (``engine.py``) does everything else the same way for every kind: reading the
file, checking each row against the model, finding repeated keys, looking up references
(column types that are a ``Reference``, such as a person's ID number), writing in batches in
one transaction, and reporting every problem at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from .columns import Reference, cell_of
from .problems import Problem


class ImportRow(BaseModel):
    """Base of every kind's row model: one field per column, named as in the header.

    A field's type carries a column type (``columns.py``) in ``Annotated``; a field with a
    default is an optional column (an empty cell takes the default). The field's attribute
    docstring is its description in docs/import.md, the class docstring the kind's. Cross-
    column rules are ``model_validator(mode="after")`` methods raising ``RowProblem``; they
    run when every cell of the row is valid.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    #: An empty required cell is reported as ``is required``; otherwise the column type
    #: judges the empty text and says what it expects.
    blank_is_missing: ClassVar[bool] = False

    @classmethod
    def columns(cls) -> list[str]:
        return list(cls.model_fields)

    @classmethod
    def required_columns(cls) -> list[str]:
        return [name for name, info in cls.model_fields.items() if info.is_required()]

    @classmethod
    def references(cls) -> dict[str, Reference]:
        """The columns naming rows of other tables, with their column types."""
        return _references(cls)


@cache
def _references(model: type[ImportRow]) -> dict[str, Reference]:
    cells = {name: cell_of(info) for name, info in model.model_fields.items()}
    return {name: cell for name, cell in cells.items() if isinstance(cell, Reference)}


@dataclass(frozen=True)
class Group:
    """Several rows make one record (a payment and its items): the rows with the same key.

    Every row of a record repeats the ``same`` columns; no two rows share a ``distinct`` one.
    ``noun`` names the record in problems (``differs from line 2 of the same payment``).
    """

    noun: str
    same: tuple[str, ...] = ()
    distinct: tuple[str, ...] = ()


@dataclass
class Record:
    """One record of the file: its rows (one, unless the kind groups rows) and the ids its
    references resolved to, by target column (``person_id``)."""

    line: int
    rows: list[tuple[int, ImportRow]]
    refs: dict[str, int] = field(default_factory=dict)

    @property
    def row(self) -> Any:
        """The record's first row (the one a record of one row is)."""
        return self.rows[0][1]

    def values(self, exclude: Iterable[str] = ()) -> dict[str, Any]:
        """The first row's values by column, each reference replaced by its id."""
        skip = {*exclude, *self.row.references()}
        # The fields as they are: what ``model_dump`` gives for a row of plain values (no
        # nested models), at a fraction of its cost (this runs once a record).
        values = {name: value for name, value in self.row.__dict__.items() if name not in skip}
        return values | self.refs


@dataclass(frozen=True)
class ImportResult:
    inserted: int = 0
    updated: int = 0

    def __add__(self, other: ImportResult) -> ImportResult:
        return ImportResult(self.inserted + other.inserted, self.updated + other.updated)


#: ``write(city, records)``: write one batch of records (the engine calls it batch after batch,
#: in the file's order, inside the file's one transaction); return how many were added and
#: how many updated. Most kinds use ``Upsert``, which also names the target table.
WriteStep = Callable[[str, Sequence[Record]], ImportResult]
#: ``check(city, records)``: problems that need more than one row or the database.
CheckStep = Callable[[str, Sequence[Record]], Iterable[Problem]]


@dataclass(frozen=True)
class ImportKind:
    """One kind of file ``shebao import --kind NAME`` loads."""

    name: str
    row: type[ImportRow]
    #: The natural key: columns naming a record. A record whose key is already in the city is
    #: updated by a re-import; a key given twice in a file is a problem (unless ``group``).
    key: tuple[str, ...]
    write: WriteStep
    #: What the kind loads, for docs/import.md (default: the row model's docstring).
    doc: str = ""
    #: Further columns whose values must differ between the records of one file.
    unique: tuple[str, ...] = ()
    group: Group | None = None
    check: CheckStep | None = None

    def __post_init__(self) -> None:
        columns = set(self.row.columns())
        named = [*self.key, *self.unique]
        if self.group is not None:
            named += [*self.group.same, *self.group.distinct]
        unknown = [name for name in named if name not in columns]
        if unknown or not self.key:
            raise ValueError(f"import kind {self.name}: no column {unknown or 'as key'}")
        if not self.doc:
            object.__setattr__(self, "doc", self.row.__doc__ or "")

    @property
    def table(self) -> Any:
        """The table the records go to (the write step's)."""
        return getattr(self.write, "table", None)

    def repeated_key(self, line: int, first: int) -> Problem:
        """The problem of a record whose key an earlier line already gave."""
        if len(self.key) == 1:
            return Problem(line, self.key[0], f"already given on line {first}")
        references = self.row.references()
        names = [references[c].noun if c in references else c for c in self.key]
        label = ", ".join(names[:-1]) + f" and {names[-1]}"
        return Problem(line, None, f"the same {label} are already on line {first}")
