"""The to-do list: every unfinished item of a person, from the enabled modules' sources."""

from __future__ import annotations

from ...people.models import Person
from ...tenancy.city import City
from .sources import TodoItem


def todo_items(city: City, person: Person) -> list[TodoItem]:
    """Every unfinished item of ``person`` in ``city``, oldest first.

    Only the sources of the modules the city has enabled are asked, each with the city.
    """
    items: list[TodoItem] = []
    for name, module in city.catalogue.items():
        if not city.module_enabled(name):
            continue
        for source in module.parts.todo_sources:
            items.extend(source(city, person))
    return sorted(items, key=lambda item: item.started_at)
