"""Rules of the labour filing pages: a person sees only their own filings, newest first."""

from __future__ import annotations

from sqlalchemy import select

from ...people.models import Person
from ...tenancy.city import City
from ...web.queries import Page, paginate
from .models import LabourFiling

PAGE_SIZE = 10


def filings_page(city: City, person: Person, page: int, per_page: int = PAGE_SIZE) -> Page:
    """One page of the person's filings, the latest contract first.

    Raises ``QueryError`` for a page past the end.
    """
    statement = (
        select(LabourFiling)
        .where(LabourFiling.city == city.code, LabourFiling.person_id == person.id)
        .order_by(LabourFiling.start_date.desc(), LabourFiling.id.desc())
    )
    return paginate(statement, page, per_page)
