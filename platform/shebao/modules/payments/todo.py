"""Payments' source for the to-do list: every open order, linked to the step it stopped at."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from ...core.money import format_money
from ...people.models import Person
from ...tenancy.city import City
from ..todo.sources import TodoItem
from .labels import kind_label
from .services import open_orders
from .states import status_label


def open_order_items(city: City, person: Person) -> list[TodoItem]:
    """The person's open orders in ``city``, each linked to its order page."""
    items = []
    for order in open_orders(city, person):
        items.append(
            TodoItem(
                title=_(
                    "%(payment)s, order %(number)s",
                    payment=kind_label(city, order),
                    number=order.number,
                ),
                detail=_(
                    "%(status)s, %(amount)s yuan",
                    status=status_label(order.status),
                    amount=format_money(order.total),
                ),
                url=url_for("payments.order", number=order.number),
                started_at=order.created_at,
            )
        )
    return items
