"""What is wrong with an import file: problems named by line and column, all reported at once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """``LINE: column: reason`` (or ``LINE: reason`` when no one column is at fault)."""

    line: int
    column: str | None
    reason: str

    def __str__(self) -> str:
        if self.column is None:
            return f"{self.line}: {self.reason}"
        return f"{self.line}: {self.column}: {self.reason}"


class ImportProblems(Exception):
    """The file was refused; nothing was written. ``problems`` lists them in line order."""

    def __init__(self, problems: list[Problem]):
        self.details = sorted(problems, key=lambda problem: problem.line)
        self.problems = [str(problem) for problem in self.details]
        super().__init__(f"{len(problems)} problem(s)")


class RowProblem(ValueError):
    """Raised by a row model's cross-column rule: one or more ``(column, reason)`` pairs.

    The column is the one the person fixing the file should change (``None``: the row as a
    whole).
    """

    def __init__(self, *pairs: tuple[str | None, str]):
        self.pairs = pairs
        super().__init__("; ".join(reason for _, reason in pairs))
