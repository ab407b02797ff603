"""Reading an import file: UTF-8 CSV (with or without BOM), a header row, any column order."""

from __future__ import annotations

import csv
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problem


@dataclass
class CsvFile:
    """The data rows with their line numbers (values stripped), and what is wrong."""

    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_csv(path: Path, required: Collection[str], known: Collection[str]) -> CsvFile:
    """The file's rows, or the problems that stop it from being read.

    The header must name every required column and nothing but known ones (any problem with it
    stops the file); a row with more fields than columns is a problem of its line. Blank lines
    are skipped; a field left out at the end of a row is empty.
    """
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = error.object.count(b"\n", 0, error.start) + 1
        return CsvFile(problems=[Problem(line, None, "the file is not UTF-8 text")])
    if not text.strip():
        return CsvFile(
            problems=[Problem(1, None, "the file is empty (expected a header row and data rows)")]
        )
    reader = csv.reader(text.splitlines())
    header = [name.strip() for name in next(reader, [])]
    problems = [
        Problem(1, None, f"missing column {name!r}") for name in required if name not in header
    ]
    problems += [
        Problem(1, None, f"unknown column {name!r}") for name in header if name not in known
    ]
    problems += [
        Problem(1, None, f"column {name!r} is given twice")
        for position, name in enumerate(header)
        if name in header[:position]
    ]
    if problems:
        return CsvFile(problems=problems)
    read = CsvFile()
    width = len(header)
    missing = [""] * width
    append = read.rows.append
    for fields in reader:
        if not fields:
            continue
        if len(fields) > width:
            read.problems.append(Problem(reader.line_num, None, "more fields than columns"))
            continue
        if len(fields) < width:
            fields = fields + missing[len(fields) :]
        append((reader.line_num, dict(zip(header, map(str.strip, fields), strict=True))))
    return read
