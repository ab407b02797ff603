"""The one CSV import engine behind ``shebao import``.

An import kind (``ImportKind``, ``kind.py``) declares its row as a pydantic model
(``ImportRow`` with column types from ``columns.py``), its key and its write step (most kinds:
``Upsert`` from ``writing.py``, which names the target table). ``engine.py`` reads, checks and
writes every kind the same way; ``docs.py`` writes docs/import.md from the row models. Core
knows no kind: people and the feature modules declare theirs, and the registry collects them.
"""

from .columns import (
    MOBILE,
    Amount,
    Cell,
    Choice,
    Date,
    LocalTime,
    Month,
    Pattern,
    Reference,
    Text,
    Whole,
)
from .docs import formats_markdown
from .engine import Progress, import_file
from .kind import Group, ImportKind, ImportResult, ImportRow, Record
from .problems import ImportProblems, Problem, RowProblem
from .writing import Children, Upsert

__all__ = [
    "MOBILE",
    "Amount",
    "Cell",
    "Children",
    "Choice",
    "Date",
    "Group",
    "ImportKind",
    "ImportProblems",
    "ImportResult",
    "ImportRow",
    "LocalTime",
    "Month",
    "Pattern",
    "Problem",
    "Progress",
    "Record",
    "Reference",
    "RowProblem",
    "Text",
    "Upsert",
    "Whole",
    "formats_markdown",
    "import_file",
]
