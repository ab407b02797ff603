"""The to-do list's extension point: modules register where unfinished business comes from.

A source is ``source(city, person) -> list[TodoItem]``, registered under its module's name;
the list asks only the sources of modules the city has enabled. Payments registers its open
orders; the card-collection module registers its unfinished applications the same way::

    from ..todo.sources import TodoItem, register_source
    register_source("card_collection", unfinished_applications)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

#: module name → sources, in registration order.
_SOURCES: dict[str, list[Callable[..., list[TodoItem]]]] = {}


@dataclass(frozen=True)
class TodoItem:
    #: What the business is, as the resident knows it (the city's menu label).
    title: str
    #: One line on where it stopped, for example "Awaiting payment, 1,200.00 yuan".
    detail: str
    #: The page that continues it where it stopped.
    url: str
    #: When it was started (UTC, timezone-aware), for ordering.
    started_at: datetime
    #: The text of the link (defaults to "Continue").
    action: Any = None


def register_source(module_name: str, source: Callable[..., list[TodoItem]]) -> None:
    sources = _SOURCES.setdefault(module_name, [])
    if source not in sources:
        sources.append(source)


def todo_items(city, person) -> list[TodoItem]:
    """Every unfinished item of ``person`` from the sources of the city's enabled modules,
    oldest first."""
    items: list[TodoItem] = []
    for module_name, sources in _SOURCES.items():
        if not city.module_enabled(module_name):
            continue
        for source in sources:
            items.extend(source(city, person))
    return sorted(items, key=lambda item: item.started_at)
