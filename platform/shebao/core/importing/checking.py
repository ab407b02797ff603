"""Checking a file's rows against the kind's row model, column by column.

A file repeats most of its cells: tens of thousands of rows name a few hundred people, a few
hundred months, a handful of amounts and codes. Validating a pydantic model per row did the
same work again on every line (an ID number's check digit, a month's regular expression …)
and built a model instance through the full validator each time. So ``RowChecker`` validates
each *column* with the field's own pydantic validator (a ``TypeAdapter`` of the field's
annotated type: the same column type, the same conversion, the same reasons), each distinct
text of a column once, and builds the row from the checked values without validating again;
the model's ``mode="after"`` rules then run on it exactly as pydantic runs them. A model
that declares other validators (field validators, ``before``/``wrap`` model validators) or
configuration of its own is checked by pydantic, row by row, as before. Either way a bad row
gives the same problems, in the same order, with the same reasons.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from inspect import signature
from typing import Annotated, Any

from pydantic import TypeAdapter, ValidationError

from .kind import ImportRow
from .problems import ImportProblems, Problem, RowProblem

#: A column's checked text: (value, None), or (None, reasons).
Checked = tuple[Any, list[str] | None]


def _reasons(error: ValidationError) -> list[tuple[str | None, str]]:
    """(column, reason) of each of a validation error's details; the column None when the
    detail names none (a rule of the whole row)."""
    found: list[tuple[str | None, str]] = []
    for detail in error.errors():
        column = str(detail["loc"][0]) if detail["loc"] else None
        cause = detail.get("ctx", {}).get("error")
        if isinstance(cause, RowProblem):
            found += cause.pairs
        elif detail["type"] == "missing":
            found.append((column, "is required"))
        else:
            found.append((column, str(cause) if cause is not None else detail["msg"]))
    return found


def check_row_by_model(model: type[ImportRow], line: int, cells: dict[str, str]) -> Any:
    """The row's model instance through pydantic's full validation, or ``ImportProblems``
    naming each bad cell of the line."""
    fields = model.model_fields
    values = {
        name: text
        for name, text in cells.items()
        if text or (fields[name].is_required() and not model.blank_is_missing)
    }
    try:
        return model.model_validate(values)
    except ValidationError as error:
        raise ImportProblems(
            [Problem(line, column, reason) for column, reason in _reasons(error)]
        ) from None


class _Column:
    """One field: its validator, default, and the results of the texts seen so far."""

    __slots__ = ("name", "required", "default", "adapter", "seen")

    def __init__(self, name: str, info: Any):
        self.name = name
        self.required = info.is_required()
        self.default = None if self.required else info.get_default(call_default_factory=True)
        annotated = (
            Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        )
        self.adapter = TypeAdapter(annotated)
        self.seen: dict[str, Checked] = {}

    def check(self, text: str) -> Checked:
        found = self.seen.get(text)
        if found is None:
            try:
                found = (self.adapter.validate_python(text), None)
            except ValidationError as error:
                found = (None, [reason for _column, reason in _reasons(error)])
            self.seen[text] = found
        return found


def _after_rules(model: type[ImportRow]) -> list[Callable[[Any], Any]] | None:
    """The model's ``mode="after"`` rules, or None when it has validators (or configuration)
    that only a full validation applies."""
    decorators = model.__pydantic_decorators__
    if (
        decorators.validators
        or decorators.field_validators
        or decorators.root_validators
        or model.model_config != ImportRow.model_config
    ):
        return None
    rules = []
    for decorator in decorators.model_validators.values():
        if decorator.info.mode != "after" or len(signature(decorator.func).parameters) != 1:
            return None
        rules.append(decorator.func)
    return rules


#: What a cell comes to: (value, whether the cell gave it, reasons it is refused or None).
Outcome = tuple[Any, bool, list[str] | None]


class RowChecker:
    """Checks the rows of one file against ``model`` (one checker per file: it remembers the
    texts it has checked)."""

    def __init__(self, model: type[ImportRow]):
        self.model = model
        self.rules = _after_rules(model)
        self.columns = [_Column(name, info) for name, info in model.model_fields.items()]
        self.names = [column.name for column in self.columns]

    def _outcome(self, column: _Column, text: str | None) -> Outcome:
        """A cell's text (None: the row has no such cell) checked."""
        if not text and (not column.required or self.model.blank_is_missing or text is None):
            if column.required:
                return None, False, ["is required"]
            return column.default, False, None
        value, reasons = column.check(text)
        return value, True, reasons

    def __call__(self, line: int, cells: dict[str, str]) -> Any:
        """The row's model instance, or ``ImportProblems`` naming each bad cell of the line."""
        if self.rules is None:
            return check_row_by_model(self.model, line, cells)
        values: dict[str, Any] = {}
        given: set[str] = set()
        problems: list[Problem] = []
        for column in self.columns:
            name = column.name
            value, gave, reasons = self._outcome(column, cells.get(name))
            if reasons is not None:
                problems += [Problem(line, name, reason) for reason in reasons]
                continue
            values[name] = value
            if gave:
                given.add(name)
        if problems:
            raise ImportProblems(problems)
        return self._ruled(line, self._built(values, given))

    def checked(
        self, rows: Sequence[tuple[int, dict[str, str]]]
    ) -> Iterator[tuple[int, Any, list[Problem] | None]]:
        """Every row checked, in order: ``(line, row, None)`` or ``(line, None, problems)``,
        the same as calling the checker on each row, but column by column: each column's
        cells are looked up in one pass over the file (a row then only gathers its values)."""
        if self.rules is None:
            for line, cells in rows:
                try:
                    yield line, self(line, cells), None
                except ImportProblems as refused:
                    yield line, None, refused.details
            return
        lines = [line for line, _cells in rows]
        refused: dict[int, list[Problem]] = {}
        values_by_column: list[list[Any]] = []
        given_by_column: list[list[bool] | None] = []
        for column in self.columns:
            name = column.name
            texts = [cells.get(name) for _line, cells in rows]
            outcomes = {text: self._outcome(column, text) for text in set(texts)}
            checked = [outcomes[text] for text in texts]
            if any(reasons is not None for _, _, reasons in outcomes.values()):
                for index, (_, _, reasons) in enumerate(checked):
                    if reasons is not None:
                        problems = refused.setdefault(index, [])
                        problems += [Problem(lines[index], name, reason) for reason in reasons]
            values_by_column.append([value for value, _, _ in checked])
            every = all(gave for _, gave, _ in outcomes.values())
            given_by_column.append(None if every else [gave for _, gave, _ in checked])
        names = self.names
        every_name = set(names) if all(g is None for g in given_by_column) else None
        for index, values in enumerate(zip(*values_by_column, strict=True)):
            line = lines[index]
            if index in refused:
                yield line, None, refused[index]
                continue
            if every_name is not None:
                given = set(every_name)
            else:
                given = {
                    name
                    for name, gave in zip(names, given_by_column, strict=True)
                    if gave is None or gave[index]
                }
            row = self._built(dict(zip(names, values, strict=True)), given)
            if self.rules:
                try:
                    row = self._ruled(line, row)
                except ImportProblems as problems:
                    yield line, None, problems.details
                    continue
            yield line, row, None

    def _ruled(self, line: int, row: Any) -> Any:
        """The row after the model's rules, or ``ImportProblems`` naming what they refused."""
        for rule in self.rules or ():
            try:
                row = rule(row)
            except (ValueError, AssertionError) as error:
                if isinstance(error, RowProblem):
                    pairs = error.pairs
                else:
                    pairs = ((None, str(error)),)
                raise ImportProblems([Problem(line, c, reason) for c, reason in pairs]) from None
        return row

    def _built(self, values: dict[str, Any], given: set[str]) -> Any:
        """The instance of checked values, as ``model_construct`` builds it (without its
        per-call look-ups of the fields: this runs once a row)."""
        row = object.__new__(self.model)
        object.__setattr__(row, "__dict__", values)
        object.__setattr__(row, "__pydantic_fields_set__", given)
        object.__setattr__(row, "__pydantic_extra__", None)
        object.__setattr__(row, "__pydantic_private__", None)
        return row
