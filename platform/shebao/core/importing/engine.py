"""The one import engine: a CSV file of one kind, checked whole, written all or nothing.

Every row is checked against the kind's row model, repeated keys are found, references
(a person by ID number) are looked up in the city, and the kind's own checks run; any
problem refuses the whole file, and every problem is reported (``LINE: column: reason``).
Only a file without problems is written, in batches, in one transaction: the import is its
own unit of work, as ``seed-demo`` is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from ..batch import batches
from ..transactions import unit_of_work
from .checking import RowChecker
from .kind import ImportKind, ImportResult, ImportRow, Record
from .problems import ImportProblems, Problem
from .reader import read_csv

#: ``progress(stage, rows)`` → a context in which ``advance(n)`` reports ``n`` more rows of
#: the stage done (stages: ``checking``, ``writing``).
Progress = Callable[[str, int], AbstractContextManager[Callable[[int], None]]]
#: Rows checked between two reports of progress.
REPORT_EVERY = 100
#: Records handed to the write step at a time. Each batch costs a few statements whatever its
#: size (on PostgreSQL: a staging table, one ``COPY``, one ``INSERT … SELECT``), so batches
#: are large; the write step splits them further where a driver limits a statement.
WRITE_BATCH = 20_000


@contextmanager
def no_progress(stage: str, rows: int) -> Iterator[Callable[[int], None]]:
    yield lambda done: None


def import_file(
    kind: ImportKind, city: str, path: Path, progress: Progress = no_progress
) -> ImportResult:
    """Load ``path`` into ``city`` (its code); raise ``ImportProblems`` having written nothing."""
    read = read_csv(Path(path), kind.row.required_columns(), kind.row.columns())
    if read.problems and not read.rows:
        raise ImportProblems(read.problems)
    problems = list(read.problems)
    with unit_of_work():
        with progress("checking", len(read.rows)) as advance:
            records = _records(kind, read.rows, problems, advance)
        problems += _resolve(kind, city, records)
        if kind.check is not None:
            problems += kind.check(city, records)
        if problems:
            raise ImportProblems(problems)
        if not records:
            raise ImportProblems([Problem(2, None, "the file holds no rows")])
        result = ImportResult()
        with progress("writing", len(read.rows)) as advance:
            for chunk in batches(records, WRITE_BATCH):
                result += kind.write(city, chunk)
                advance(sum(len(record.rows) for record in chunk))
    return result


def _records(
    kind: ImportKind,
    rows: Sequence[tuple[int, dict[str, str]]],
    problems: list[Problem],
    advance: Callable[[int], None],
) -> list[Record]:
    """The file's records, by key, in the order of their first line; problems appended."""
    check = RowChecker(kind.row)
    records: dict[tuple, Record] = {}
    unique = kind.unique
    first_lines: dict[str, dict[Any, int]] = {column: {} for column in unique}
    for count, (line, row, refused) in enumerate(check.checked(rows), start=1):
        if count % REPORT_EVERY == 0:
            advance(REPORT_EVERY)
        if refused is not None:
            problems += refused
            continue
        key = tuple(map(row.__dict__.__getitem__, kind.key))
        record = records.get(key)
        if record is not None:
            problems += _repeated(kind, record, line, row)
            continue
        if unique:
            clashes = [
                Problem(line, column, f"already given on line {first_lines[column][value]}")
                for column in unique
                if (value := getattr(row, column)) is not None and value in first_lines[column]
            ]
            if clashes:
                problems += clashes
                continue
            for column in unique:
                first_lines[column][getattr(row, column)] = line
        records[key] = Record(line, [(line, row)])
    advance(len(rows) % REPORT_EVERY)
    return list(records.values())


def _repeated(kind: ImportKind, record: Record, line: int, row: ImportRow) -> list[Problem]:
    """A later row with a record's key: a problem, or (grouped kinds) the record's next row."""
    group = kind.group
    if group is None:
        return [kind.repeated_key(line, record.line)]
    problems = [
        Problem(line, column, f"differs from line {record.line} of the same {group.noun}")
        for column in group.same
        if getattr(row, column) != getattr(record.row, column)
    ]
    for column in group.distinct:
        earlier = next(
            (n for n, other in record.rows if getattr(other, column) == getattr(row, column)),
            None,
        )
        if earlier is not None:
            problems.append(
                Problem(line, column, f"already given on line {earlier} for the same {group.noun}")
            )
    record.rows.append((line, row))
    return problems


def _resolve(kind: ImportKind, city: str, records: list[Record]) -> list[Problem]:
    """Look every reference up in the city; a record whose reference is missing is a problem."""
    problems = []
    for column, reference in kind.row.references().items():
        found = reference.lookup(city, {getattr(record.row, column) for record in records})
        for record in records:
            value = getattr(record.row, column)
            if value in found:
                record.refs[reference.target] = found[value]
            else:
                problems.append(Problem(record.line, column, reference.missing.format(city=city)))
    return problems
