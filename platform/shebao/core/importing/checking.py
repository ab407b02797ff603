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

from collections.abc import Callable
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


class RowChecker:
    """Checks the rows of one file against ``model`` (one checker per file: it remembers the
    texts it has checked)."""

    def __init__(self, model: type[ImportRow]):
        self.model = model
        self.rules = _after_rules(model)
        self.columns = [_Column(name, info) for name, info in model.model_fields.items()]

    def __call__(self, line: int, cells: dict[str, str]) -> Any:
        """The row's model instance, or ``ImportProblems`` naming each bad cell of the line."""
        if self.rules is None:
            return check_row_by_model(self.model, line, cells)
        values: dict[str, Any] = {}
        given: set[str] = set()
        problems: list[Problem] = []
        blank_is_missing = self.model.blank_is_missing
        for column in self.columns:
            name = column.name
            text = cells.get(name, "")
            if not text and (not column.required or blank_is_missing or name not in cells):
                if column.required:
                    problems.append(Problem(line, name, "is required"))
                else:
                    values[name] = column.default
                continue
            value, reasons = column.check(text)
            if reasons is not None:
                problems += [Problem(line, name, reason) for reason in reasons]
                continue
            values[name] = value
            given.add(name)
        if problems:
            raise ImportProblems(problems)
        row = self._built(values, given)
        for rule in self.rules:
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
