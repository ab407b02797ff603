"""What a to-do item is, and the list gathered from every enabled module's sources.

A source is ``source(city, person) -> list[TodoItem]``, named in its module's declaration
(``todo_sources=(".todo:open_order_items",)``) and resolved at app start; the list asks the
sources of the modules the city has enabled, and of no other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


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


def todo_items(city, person) -> list[TodoItem]:
    """Every unfinished item of ``person`` from the sources of the city's enabled modules,
    oldest first."""
    items: list[TodoItem] = []
    for name, module in city.catalogue.items():
        if not city.module_enabled(name):
            continue
        for source in module.parts.todo_sources:
            items.extend(source(city, person))
    return sorted(items, key=lambda item: item.started_at)
