"""Who ends a unit of work: the one rule of the platform.

Services never commit or roll back: they change rows in the session they are given (the
request's or the command's). The view, command or job that started the unit of work ends it
with ``unit_of_work()``: commit when the block finishes, roll back on any exception, so a
failed operation changes nothing. ``docs/modules.md`` states the rule; a test checks that no
``services`` module of a feature commits.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from .extensions import db


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """``with unit_of_work(): services.report_loss(city, person)`` — commit or roll back."""
    session = db.session
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
