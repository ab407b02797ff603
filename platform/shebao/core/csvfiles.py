"""Reading the CSV files ``shebao import`` loads: one reader for every kind."""

from __future__ import annotations

import csv
from pathlib import Path

Rows = list[tuple[int, dict[str, str]]]


def read_csv_rows(
    path: Path, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> tuple[Rows, list[str]]:
    """The file's rows with their line numbers (values stripped), or the problems found.

    UTF-8 with or without BOM, a header row naming every required column and nothing but
    known ones; a row with more fields than columns is a problem of its line.
    """
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = error.object.count(b"\n", 0, error.start) + 1
        return [], [f"{line}: the file is not UTF-8 text"]
    if not text.strip():
        return [], ["1: the file is empty (expected a header row and data rows)"]
    reader = csv.DictReader(text.splitlines())
    header = [name.strip() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    known = (*required, *optional)
    problems = [f"1: missing column {name!r}" for name in required if name not in header]
    problems += [f"1: unknown column {name!r}" for name in header if name not in known]
    if problems:
        return [], problems
    rows: Rows = []
    for row in reader:
        if None in row:
            problems.append(f"{reader.line_num}: more fields than columns")
            continue
        rows.append((reader.line_num, {key: (value or "").strip() for key, value in row.items()}))
    return rows, problems
