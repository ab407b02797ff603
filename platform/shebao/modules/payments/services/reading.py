"""Reading orders: a person's orders, one order by its number, summaries of an order's lines.

Every read filters by the city it is given (the request's automatic scoping is a safety
net, not the rule) and, for residents, by the person: never an order by number alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ....core.extensions import db
from ....people.models import Person
from ....tenancy.city import City
from ....web.queries import Page, paginate
from .. import amounts
from ..amounts import Line
from ..models import PaymentOrder, PaymentOrderLine
from ..states import OPEN

MAX_NUMBER_LENGTH = 32


def find_order(city: City, person: Person, number: str) -> PaymentOrder | None:
    """The person's order with this number in ``city`` (never an order by number alone)."""
    if not isinstance(number, str) or not 1 <= len(number) <= MAX_NUMBER_LENGTH:
        return None
    return db.session.scalar(
        select(PaymentOrder)
        .where(
            PaymentOrder.city == city.code,
            PaymentOrder.person_id == person.id,
            PaymentOrder.number == number,
        )
        .execution_options(populate_existing=True)
    )


def order_by_number(city: City, number: str) -> PaymentOrder | None:
    """The city's order with this number, read afresh: for the bank's word and the expiry
    run, which act for no resident. Resident pages use ``find_order``."""
    return db.session.scalar(
        select(PaymentOrder)
        .where(PaymentOrder.city == city.code, PaymentOrder.number == number)
        .execution_options(populate_existing=True)
    )


def orders_page(city: City, person: Person, page: int, per_page: int = 10) -> Page:
    """One page of the person's orders in ``city``, newest first, each with its lines (one
    query for the lines of the whole page, which lists every order's periods)."""
    statement = (
        select(PaymentOrder)
        .where(PaymentOrder.city == city.code, PaymentOrder.person_id == person.id)
        .options(selectinload(PaymentOrder.lines.and_(PaymentOrderLine.city == city.code)))
        .order_by(PaymentOrder.created_at.desc(), PaymentOrder.id.desc())
    )
    return paginate(statement, page, per_page)


def open_orders(city: City, person: Person) -> list[PaymentOrder]:
    """The person's unfinished orders in ``city`` (created, confirmed or paying), newest first."""
    return list(
        db.session.scalars(
            select(PaymentOrder)
            .where(
                PaymentOrder.city == city.code,
                PaymentOrder.person_id == person.id,
                PaymentOrder.status.in_([status.value for status in OPEN]),
            )
            .order_by(PaymentOrder.created_at.desc())
        )
    )


@dataclass(frozen=True)
class Periods:
    """The lines of one insurance type: first and last period, count, base and total."""

    insurance_type: str
    first: date
    last: date
    months: int
    base: Decimal
    amount: Decimal


def summarise(order: PaymentOrder) -> list[Periods]:
    """The order's lines per insurance type: first and last period, count, base and total."""
    return periods_of(
        [Line(line.insurance_type, line.period, line.base, line.amount) for line in order.lines]
    )


def periods_of(lines: list[Line]) -> list[Periods]:
    """``lines`` grouped per insurance type, in the order the types first appear."""
    result = []
    for kind in dict.fromkeys(line.insurance_type for line in lines):
        own = [line for line in lines if line.insurance_type == kind]
        result.append(
            Periods(
                insurance_type=kind,
                first=min(line.period for line in own),
                last=max(line.period for line in own),
                months=len(own),
                base=own[0].base,
                amount=amounts.total(own),
            )
        )
    return result
