"""Batched writes: many rows in few statements, for the demo seeders and the import engine.

Rows are dicts that all name the same columns (``None`` is written as NULL); a target is a
model or a table. Everything runs in the session's current transaction: the caller ends the
unit of work. Natural keys are given as a column name (the key is that value) or a tuple of
names (the key is the tuple of values).

Upserts use the dialect's ``INSERT … ON CONFLICT (key) DO UPDATE`` (SQLite and PostgreSQL),
so the key must be a unique constraint of the table.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import (
    Column,
    ColumnElement,
    Date,
    MetaData,
    Numeric,
    Select,
    Table,
    delete,
    func,
    insert,
    literal_column,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from .extensions import db

#: Rows a statement writes. Large enough that statements are few, small enough that a batch
#: stays under every driver's limit on bound parameters.
BATCH_SIZE = 1000
#: Values one ``IN (…)`` look-up names.
LOOKUP_SIZE = 500

Item = TypeVar("Item")
Key = str | tuple[str, ...]


def batches(items: Sequence[Item], size: int = BATCH_SIZE) -> Iterator[Sequence[Item]]:
    """``items`` in slices of at most ``size``, in order."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def table_of(target: Any) -> Table:
    return target if isinstance(target, Table) else target.__table__


def insert_rows(target: Any, rows: Sequence[dict], size: int = BATCH_SIZE) -> int:
    """Insert ``rows``, ``size`` a statement (PostgreSQL: one ``COPY``); return how many."""
    table = table_of(target)
    if rows and _copies(db.session.get_bind().dialect):
        prepared = _CopyRows.of(table, rows)
        if prepared is not None:
            prepared.copy(db.session.connection())
            return len(rows)
    statement = insert(table)
    for chunk in batches(rows, size):
        db.session.execute(statement, chunk)
    return len(rows)


@dataclass
class _CopyRows:
    """Rows (dicts) as ``COPY`` takes them: tuples of every column they name, plus each
    column they leave out that has a Python-side default (``default=utcnow``), each value
    converted by its column type exactly as an ``INSERT`` of SQLAlchemy would send it."""

    table: Table
    columns: list[str]
    rows: list[tuple]

    @classmethod
    def of(cls, table: Table, rows: Sequence[dict], ids: Sequence[int] = ()) -> _CopyRows | None:
        """The rows ready to copy (with ``ids`` as their ``id`` column, if given), or None when
        a column they leave out has a default only the database or an INSERT computes (a SQL
        expression, a sequence): those take the plain ``INSERT``."""
        dialect = db.session.get_bind().dialect
        named = list(rows[0])
        defaults = []
        for column in table.columns:
            default = column.default
            if column.name in named or default is None or (ids and column.name == "id"):
                continue
            if default.is_scalar:
                defaults.append((column.name, False, default.arg))
            elif default.is_callable:
                defaults.append((column.name, True, default.arg))
            else:
                return None
        columns = (["id"] if ids else []) + named + [name for name, _, _ in defaults]
        convert = [_bind_processor(table.c[name], dialect) for name in columns]
        values = [
            (
                *((identity,) if ids else ()),
                *(row[name] for name in named),
                *(make(None) if called else make for _, called, make in defaults),
            )
            for identity, row in zip(ids or [None] * len(rows), rows, strict=True)
        ]
        if any(processor is not _same for processor in convert):
            values = [
                tuple(
                    value if value is None else processor(value)
                    for processor, value in zip(convert, row, strict=True)
                )
                for row in values
            ]
        return cls(table, columns, values)

    def copy(self, connection: Any) -> None:
        copy_rows(connection, self.table, self.columns, self.rows)


def _bind_processor(column: Column, dialect: Any) -> Callable[[Any], Any]:
    return column.type.dialect_impl(dialect).bind_processor(dialect) or _same


def _new_ids(table: Table, count: int) -> list[int] | None:
    """``count`` values of the sequence behind ``table.id`` (PostgreSQL), in order; None when
    the table has no such column."""
    if "id" not in table.c:
        return None
    connection = db.session.connection()
    sequence = connection.exec_driver_sql(
        "SELECT pg_get_serial_sequence(%(table)s, 'id')",
        {"table": connection.dialect.identifier_preparer.format_table(table)},
    ).scalar()
    if sequence is None:
        return None
    return list(
        connection.exec_driver_sql(
            "SELECT nextval(%(sequence)s) FROM generate_series(1, %(count)s)",
            {"sequence": sequence, "count": count},
        ).scalars()
    )


def _returned_key(key: Key) -> Callable[[Any], Any]:
    """A row returned as (key columns…, id) → its key: the value, or the tuple of values."""
    if isinstance(key, str):
        return lambda row: row[0]
    return lambda row: tuple(row[:-1])


def insert_returning(
    target: Any, rows: Sequence[dict], key: Key, size: int = BATCH_SIZE
) -> dict[Any, int]:
    """Insert ``rows``; return each new row's ``id`` by its natural key."""
    table = table_of(target)
    names = (key,) if isinstance(key, str) else key
    key_of = _returned_key(key)
    if rows and "id" not in rows[0] and _copies(db.session.get_bind().dialect):
        # ``COPY`` returns nothing: the ids are taken from the table's sequence first.
        new = _new_ids(table, len(rows))
        prepared = None if new is None else _CopyRows.of(table, rows, new)
        if prepared is not None:
            prepared.copy(db.session.connection())
            return {
                key_of([*(row[name] for name in names), identity]): identity
                for row, identity in zip(rows, new, strict=True)
            }
    statement = insert(table).returning(*(table.c[name] for name in names), table.c.id)
    ids: dict[Any, int] = {}
    for chunk in batches(rows, size):
        ids.update((key_of(row), row[-1]) for row in db.session.execute(statement, chunk))
    return ids


@dataclass
class Upserted:
    """What ``upsert_rows`` did: every row's ``id`` by key, and how many rows were new."""

    ids: dict[Any, int] = field(default_factory=dict)
    inserted: int = 0
    updated: int = 0


#: ``INSERT`` of each dialect that offers ``ON CONFLICT``.
_UPSERT_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def upsert_insert(table: Any):
    """``INSERT`` of this database's dialect, which offers ``ON CONFLICT`` (SQLite, PostgreSQL)."""
    dialect = db.session.get_bind().dialect.name
    if dialect not in _UPSERT_INSERTS:
        raise NotImplementedError(f"no INSERT … ON CONFLICT for the {dialect} dialect")
    return _UPSERT_INSERTS[dialect](table_of(table))


def _inserted(table: Table) -> ColumnElement[bool]:
    """What an upsert's ``RETURNING`` gives as true for a row it inserted, false for one it
    updated (so no look-up of the keys beforehand): PostgreSQL leaves ``xmax`` 0 on a row a
    statement inserted; SQLite gives a new row an id above every id the table holds before."""
    if db.session.get_bind().dialect.name == "postgresql":
        return literal_column("xmax = 0")
    newest = db.session.scalar(select(func.max(table.c.id))) or 0
    return table.c.id > literal_column(str(int(newest)))


def _on_update(table: Table, skip: Collection[str]) -> dict[str, Any]:
    """The ``onupdate`` values (``updated_at``) that an ON CONFLICT update must set itself:
    SQLAlchemy applies them to UPDATE statements only."""
    values = {}
    for column in table.columns:
        generate = column.onupdate
        if generate is None or column.name in skip:
            continue
        values[column.name] = generate.arg(None) if generate.is_callable else generate.arg
    return values


def upsert_rows(target: Any, rows: Sequence[dict], key: Key, size: int = BATCH_SIZE) -> Upserted:
    """Insert ``rows``, updating instead every row whose key is already there.

    Every other column the rows name is overwritten; the rows of one call must have distinct
    keys (the database refuses to update one row twice in a statement).
    """
    table = table_of(target)
    names = (key,) if isinstance(key, str) else key
    key_of = _returned_key(key)
    done = Upserted()
    if rows and _copies(db.session.get_bind().dialect):
        return _upsert_by_copy(table, rows, names, key_of)
    for chunk in batches(rows, size):
        statement = upsert_insert(table)
        changed = {name: statement.excluded[name] for name in chunk[0] if name not in names}
        statement = statement.on_conflict_do_update(
            index_elements=[table.c[name] for name in names],
            set_={**_on_update(table, skip=changed.keys() | set(names)), **changed},
        ).returning(_inserted(table), *(table.c[name] for name in names), table.c.id)
        for inserted, *row in db.session.execute(statement, chunk):
            done.ids[key_of(row)] = row[-1]
            done.inserted += bool(inserted)
    done.updated = len(rows) - done.inserted
    return done


def _copies(dialect) -> bool:
    """Whether rows can be sent with ``COPY`` (PostgreSQL through psycopg 3)."""
    return dialect.name == "postgresql" and dialect.driver == "psycopg"


def _upsert_by_copy(
    table: Table, rows: Sequence[dict], names: tuple[str, ...], key_of: Callable
) -> Upserted:
    """``upsert_rows`` on PostgreSQL: ``COPY`` into a temporary table, then one
    ``INSERT … SELECT … ON CONFLICT DO UPDATE``. A multi-row ``INSERT … VALUES`` of thousands
    of parameters spent most of its time in the driver taking the statement's text apart."""
    columns = list(rows[0])
    connection = db.session.connection()
    preparer = connection.dialect.identifier_preparer
    staging = Table(
        f"upsert_{table.name}", MetaData(), *(Column(name, table.c[name].type) for name in columns)
    )
    quoted = ", ".join(preparer.quote(name) for name in columns)
    connection.exec_driver_sql(
        f"CREATE TEMPORARY TABLE {preparer.format_table(staging)} ON COMMIT DROP AS "
        f"SELECT {quoted} FROM {preparer.format_table(table)} WITH NO DATA"
    )
    copy_rows(connection, staging, columns, [tuple(row[c] for c in columns) for row in rows])
    statement = postgresql.insert(table).from_select(
        columns, select(*(staging.c[name] for name in columns))
    )
    changed = {name: statement.excluded[name] for name in columns if name not in names}
    statement = statement.on_conflict_do_update(
        index_elements=[table.c[name] for name in names],
        set_={**_on_update(table, skip=changed.keys() | set(names)), **changed},
    ).returning(literal_column("xmax = 0"), *(table.c[name] for name in names), table.c.id)
    done = Upserted()
    for inserted, *row in connection.execute(statement).all():
        done.ids[key_of(row)] = row[-1]
        done.inserted += bool(inserted)
    # Dropped now, so the next batch of the same transaction makes its own (a failed
    # statement rolls the whole transaction back, the table with it).
    connection.exec_driver_sql(f"DROP TABLE {preparer.format_table(staging)}")
    done.updated = len(rows) - done.inserted
    return done


def update_rows(model: Any, rows: Sequence[dict], size: int = BATCH_SIZE) -> None:
    """Update rows by primary key: each dict names the ``id`` and the columns to change."""
    for chunk in batches(rows, size):
        db.session.execute(update(model), chunk)


def delete_in(target: Any, column: str, values: Collection[Any], *where: Any) -> None:
    """Delete the rows whose ``column`` holds one of ``values`` (and that meet ``where``)."""
    table = table_of(target)
    for chunk in batches(sorted(values), LOOKUP_SIZE):
        db.session.execute(delete(table).where(table.c[column].in_(chunk), *where))


def replace_children(
    target: Any, parent: str, parent_ids: Collection[int], rows: Sequence[dict]
) -> None:
    """Delete every row whose ``parent`` column names one of ``parent_ids``, insert ``rows``."""
    delete_in(target, parent, parent_ids)
    insert_rows(target, rows)


def lookup(query: Select, column: Any, values: Collection[Any]) -> dict[Any, Any]:
    """Run ``query`` (two columns: a value of ``column`` and what it maps to) for ``values``,
    ``LOOKUP_SIZE`` at a time; the rows as a dict."""
    found: dict[Any, Any] = {}
    for chunk in batches(sorted(values), LOOKUP_SIZE):
        found.update(db.session.execute(query.where(column.in_(chunk))).all())
    return found


def _same(value: Any) -> Any:
    return value


class TupleInserter:
    """Rows as tuples in ``columns`` order, collected and inserted as fast as the driver allows.

    On SQLite, SQLAlchemy's per-row parameter processing costs more than SQLite's own insert
    at millions of rows. So the statement is compiled once, the caller converts each value
    with its column's bind processor while it builds rows (``converter``; ``cached`` converts
    each distinct value once), and the tuples go to the driver's ``executemany``. PostgreSQL
    gets ``COPY … FROM STDIN`` (psycopg writes the tuples as they are, in the transaction of
    the session): several times faster than batched ``INSERT``s. Other databases get the
    plain Core insert.
    """

    def __init__(self, target: Any, columns: Sequence[str]):
        self.table = table_of(target)
        self.columns = tuple(columns)
        self.rows: list[tuple] = []
        self.written = 0
        self.connection = db.session.connection()
        self.dialect = self.connection.dialect
        self.statement = insert(self.table)
        self.direct = self.dialect.name == "sqlite"
        self.copy = _copies(self.dialect)
        if self.direct:
            compiled = self.statement.compile(dialect=self.dialect, column_keys=list(self.columns))
            if not compiled.positional or tuple(compiled.positiontup) != self.columns:
                raise ValueError(f"{self.table.name}: the insert does not take {self.columns}")
            self.sql = str(compiled)

    def converter(self, column: str) -> Callable[[Any], Any]:
        """The value as the driver takes it (the column type's own conversion on SQLite; on
        PostgreSQL a number or a date as its text, which ``COPY`` writes as it is, cheaper
        than psycopg's adaptation of the object)."""
        if self.copy:
            column_type = self.table.c[column].type
            return str if isinstance(column_type, Numeric | Date) else _same
        if not self.direct:
            return _same
        column_type = self.table.c[column].type.dialect_impl(self.dialect)
        return column_type.bind_processor(self.dialect) or _same

    def cached(self, column: str) -> Callable[[Any], Any]:
        """Like ``converter``, converting each distinct value once (for values that repeat)."""
        convert, done = self.converter(column), {}

        def converted(value: Any) -> Any:
            found = done.get(value)
            if found is None:
                found = done[value] = convert(value)
            return found

        return converted

    def flush(self) -> None:
        """Insert the rows collected so far."""
        if not self.rows:
            return
        if self.direct:
            self.connection.exec_driver_sql(self.sql, self.rows)
        elif self.copy:
            copy_rows(self.connection, self.table, self.columns, self.rows)
        else:
            db.session.execute(
                self.statement, [dict(zip(self.columns, row, strict=True)) for row in self.rows]
            )
        self.written += len(self.rows)
        self.rows = []


def copy_rows(connection: Any, table: Table, columns: Sequence[str], rows: Sequence[tuple]) -> None:
    """``COPY table (columns) FROM STDIN`` of ``rows`` (tuples in ``columns`` order) through
    psycopg, on ``connection`` (a SQLAlchemy connection, in its transaction)."""
    preparer = connection.dialect.identifier_preparer
    names = ", ".join(preparer.quote(name) for name in columns)
    sql = f"COPY {preparer.format_table(table)} ({names}) FROM STDIN"
    with connection.connection.dbapi_connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
