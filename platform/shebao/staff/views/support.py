"""What the console's pages share: the current member, rendering, the unit of work with
refusals, paging."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Response, abort, g, request

from ...account.view_support import unit_of_work_keeping_attempts
from ...web.queries import QueryError, parse_page
from ...web.templating import render
from ..services.errors import StaffError


def staff():
    return g.staff


def page_number() -> int:
    try:
        return parse_page(request.args.get("page"))
    except QueryError:
        abort(400)


def per_page() -> int:
    return g.city.config.staff.page_size


def choice(name: str, allowed: Collection[str], default: str) -> str:
    """The query parameter ``name`` (``default`` when absent); 400 when not one of ``allowed``
    (only a hand-made address sends another: the pages offer a list)."""
    value = request.args.get(name, default)
    if value not in allowed:
        abort(400)
    return value


def paged(template: str, read: Callable[[], Any], **context):
    """A page of a list: ``template`` with the ``page`` that ``read()`` returns (it reads the
    page number and the filters, so their order decides which refusal is shown).

    A page number, filter or page past the end that the user can fix (``QueryError``) shows
    its sentence over an empty list, with status 400. A ``Response`` from ``read`` (a CSV
    download) is returned as it is.
    """
    try:
        page = read()
    except QueryError as problem:
        return show(template, page=None, error=str(problem), **context), 400
    if isinstance(page, Response):
        return page
    return show(template, page=page, error=None, **context)


def show(template: str, **context):
    return render(f"staff/{template}", **context)


@contextmanager
def action() -> Iterator[None]:
    """A unit of work whose refusal (``StaffError``) rolls back and is re-raised."""
    with unit_of_work_keeping_attempts():
        yield


def attach(form, error: StaffError) -> str | None:
    """Put a refusal next to its field; return it when it belongs to the whole form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
        return None
    return error.message
