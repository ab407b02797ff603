"""What a to-do item is: the value every module's to-do source returns.

A source is ``source(city, person) -> list[TodoItem]``, named in its module's declaration
(``todo_sources=(".todo:open_order_items",)``) and resolved at app start. Sources take the city
explicitly and read only that city's rows; ``services.todo_items`` gathers them.
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
