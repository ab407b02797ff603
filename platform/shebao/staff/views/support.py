"""What the console's pages share: the current member, rendering, the unit of work with
refusals, paging."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import abort, g, request

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
