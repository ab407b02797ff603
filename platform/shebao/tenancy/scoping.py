"""City scoping of every resident-facing ORM query, by one mechanism.

Models that belong to a city mix in ``CityScoped``. While a request for a city is being
served, every ORM SELECT, UPDATE and DELETE gets ``with_loader_criteria(CityScoped, city ==
current city)``, and a flush refuses to write a row of another city. Outside a request (CLI,
bulk loaders) nothing is scoped: those set the city explicitly.

``with_loader_criteria`` covers ORM statements only; raw SQL or Core statements run on the
engine bypass it, so resident-facing code reads through ``db.session`` and the ORM.
"""

from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, with_loader_criteria


class CrossCityWrite(RuntimeError):
    """A request for one city tried to write a row of another."""


class CityScoped:
    """Mixin for every model whose rows belong to one city."""

    city: Mapped[str] = mapped_column(String(32), nullable=False, index=True)


def current_scope() -> str | None:
    """The code of the city whose request is being served, or None outside a request."""
    if has_request_context():
        city = g.get("city")
        if city is not None:
            return city.code
    return None


def _scope_statement(state) -> None:
    code = current_scope()
    if code is None:
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    state.statement = state.statement.options(_criteria(code))


#: The scoping option of each city, made once: building it analyses its lambda again each time
#: (a tenth of the cost of a page's short statements).
_CRITERIA: dict[str, object] = {}


def _criteria(code: str):
    found = _CRITERIA.get(code)
    if found is None:
        found = with_loader_criteria(CityScoped, _city_is(code), include_aliases=True)
        _CRITERIA[code] = found
    return found


def _city_is(code: str):
    return lambda cls: cls.city == code


def _guard_flush(session: Session, flush_context, instances) -> None:
    code = current_scope()
    if code is None:
        return
    for obj in session.new:
        if isinstance(obj, CityScoped) and obj.city is None:
            obj.city = code
    for obj in (*session.new, *session.dirty, *session.deleted):
        if not isinstance(obj, CityScoped):
            continue
        cities = {obj.city, *inspect(obj).attrs.city.history.deleted}
        if cities != {code}:
            raise CrossCityWrite(f"{type(obj).__name__} of another city in a {code} request")


def install(session_class: type[Session]) -> None:
    """Install the scoping hooks on a session class (idempotent)."""
    if not event.contains(session_class, "do_orm_execute", _scope_statement):
        event.listen(session_class, "do_orm_execute", _scope_statement)
        event.listen(session_class, "before_flush", _guard_flush)
