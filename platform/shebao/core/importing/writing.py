"""The write step most kinds share: each record becomes one row, added or updated by key."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..batch import replace_children, upsert_rows
from .kind import ImportResult, Record


@dataclass(frozen=True)
class Children:
    """Rows of another table that belong to a record (a payment's items), replaced whole.

    ``rows(record)`` gives them without the city and the parent's id (the ``parent``
    column), which the write step adds; with ``position`` set, that column numbers them 1, 2,
    3 … in the order given.
    """

    table: Any
    parent: str
    rows: Callable[[Record], Iterable[dict]]
    position: str | None = None


@dataclass(frozen=True)
class Upsert:
    """Write each record as one row of ``table``: added, or updated where the table's unique
    ``key`` (its columns, e.g. ``("person_id", "period")``) is already there.

    The row is ``values(record)`` (default: the record's values, references as ids) and the
    city; ``children`` are replaced; ``then(city, rows)`` runs after each batch with the rows
    written (each with its ``id``), for a change to another table.
    """

    table: Any
    key: tuple[str, ...]
    values: Callable[[Record], dict] = Record.values
    children: Children | None = None
    then: Callable[[str, list[dict]], None] | None = None

    def __call__(self, city: str, records: Sequence[Record]) -> ImportResult:
        rows = [{"city": city, **self.values(record)} for record in records]
        saved = upsert_rows(self.table, rows, self.key)
        for row in rows:
            row["id"] = saved.ids[tuple(row[name] for name in self.key)]
        if self.children is not None:
            self._replace_children(city, rows, records)
        if self.then is not None:
            self.then(city, rows)
        return ImportResult(saved.inserted, saved.updated)

    def _replace_children(self, city: str, rows: list[dict], records: Sequence[Record]) -> None:
        children = self.children
        replaced = []
        for row, record in zip(rows, records, strict=True):
            for position, child in enumerate(children.rows(record), start=1):
                numbered = {children.position: position} if children.position else {}
                replaced.append({"city": city, children.parent: row["id"], **numbered, **child})
        replace_children(children.table, children.parent, [row["id"] for row in rows], replaced)
