"""Creating orders: amounts computed on the server from the city's rules, months neither
paid already nor held by another open order.

The check before the insert gives the resident a precise message; the unique constraint on
the order lines (see ``models.py``) is what actually refuses two tabs racing for one month.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ....audit import audit
from ....core.extensions import db
from ....core.time import local_now, utcnow
from ....people.models import Person
from ....tenancy.city import City
from ...contributions.posting import paid_in_year, paid_periods
from .. import amounts
from ..amounts import AmountError, Line
from ..models import PaymentOrder, PaymentOrderLine, PaymentTransition
from ..states import OrderStatus
from .reading import Periods, periods_of
from .refusals import PaymentRefused

KINDS = ("flexible", "resident_pension", "resident_medical")


def create_order(
    city: City, person: Person, kind: str, entry: str, lines: list[Line]
) -> PaymentOrder:
    """A new order (created) holding ``lines``; refuses periods paid or in an open order.

    Raises ``PaymentRefused``; when the database refuses a month another tab took between
    the check and the insert, the session must be rolled back (the unit of work does it).
    """
    if kind not in KINDS or not lines:
        raise PaymentRefused(_("Nothing to pay."))
    _check_not_paid(city.code, person, lines, yearly=kind != "flexible")
    _check_not_held(city.code, person, lines)
    now = utcnow()
    order = PaymentOrder(
        city=city.code,
        number=_new_number(city.code),
        person_id=person.id,
        kind=kind,
        entry=entry,
        status=OrderStatus.CREATED.value,
        total=amounts.total(lines),
        refund_due=False,
        created_at=now,
        updated_at=now,
    )
    order.lines = [
        PaymentOrderLine(
            city=city.code,
            person_id=person.id,
            insurance_type=line.insurance_type,
            period=line.period,
            base=line.base,
            amount=line.amount,
            holds_period=True,
        )
        for line in lines
    ]
    order.transitions = [
        PaymentTransition(
            city=city.code, from_status="", to_status=OrderStatus.CREATED.value, cause="resident"
        )
    ]
    db.session.add(order)
    try:
        db.session.flush()
    except IntegrityError:
        # Another tab took one of these months between our check and our insert.
        raise PaymentRefused(
            _in_open_order(sorted({line.period for line in lines})), "start"
        ) from None
    audit(
        "payment_order_created",
        city=city.code,
        person=person,
        order=order.number,
        kind=kind,
        total=str(order.total),
    )
    return order


def flexible_order(
    city: City,
    person: Person,
    entry: str,
    start: date,
    end: date,
    types: list[str],
    base: Decimal,
    today: date,
) -> PaymentOrder:
    """个体人员缴费 / 灵活就业: the months ``start``–``end`` of ``types`` on ``base``."""
    lines = _flexible_lines(city, start, end, types, base, today)
    return create_order(city, person, "flexible", entry, lines)


def resident_pension_order(city: City, person: Person, year: int, grade: Decimal) -> PaymentOrder:
    """城乡居民养老保险: the year's contribution at the chosen grade."""
    with _refusing():
        line = amounts.resident_pension_line(city.options("payments").resident_pension, year, grade)
    return create_order(city, person, "resident_pension", "resident_pension", [line])


def resident_medical_order(city: City, person: Person, year: int, today: date) -> PaymentOrder:
    """城乡居民医疗保险: the year's fixed amount, while the city's window is open."""
    with _refusing():
        line = amounts.resident_medical_line(city.options("payments").resident_medical, year, today)
    return create_order(city, person, "resident_medical", "resident_medical", [line])


@dataclass(frozen=True)
class Preview:
    """What a flexible-employment payment would cost, before any order exists."""

    parts: list[Periods]
    total: Decimal


def preview_flexible(
    city: City, start: date, end: date, types: list[str], base: Decimal, today: date
) -> Preview:
    """Dezhou's 下一步 page: the base and amount per insurance type; writes nothing."""
    lines = _flexible_lines(city, start, end, types, base, today)
    return Preview(parts=periods_of(lines), total=amounts.total(lines))


def _flexible_lines(
    city: City, start: date, end: date, types: list[str], base: Decimal, today: date
) -> list[Line]:
    options = city.options("payments").flexible
    with _refusing():
        lines = amounts.flexible_lines(options, start, end, types, base, today)
    return lines


@contextmanager
def _refusing() -> Iterator[None]:
    """An amount rule's ``AmountError`` becomes the resident's ``PaymentRefused``."""
    try:
        yield
    except AmountError as error:
        raise PaymentRefused(str(error), error.field) from None


def _new_number(city_code: str) -> str:
    stamp = local_now().strftime("%Y%m%d%H%M%S")
    return f"{city_code[:2].upper()}{stamp}{secrets.randbelow(10**8):08d}"


def _check_not_paid(city_code: str, person: Person, lines: list[Line], yearly: bool) -> None:
    for kind in sorted({line.insurance_type for line in lines}):
        periods = [line.period for line in lines if line.insurance_type == kind]
        if yearly:
            if any(paid_in_year(city_code, person.id, kind, period.year) for period in periods):
                raise PaymentRefused(
                    _("The contribution for this year has already been paid."), "year"
                )
            continue
        paid = sorted(paid_periods(city_code, person.id, kind, periods))
        if paid:
            raise PaymentRefused(
                _(
                    "Already paid: %(months)s. Choose other months.",
                    months=", ".join(period.strftime("%Y-%m") for period in paid[:6]),
                ),
                "start",
            )


def _check_not_held(city_code: str, person: Person, lines: list[Line]) -> None:
    wanted = {(line.insurance_type, line.period) for line in lines}
    held = db.session.execute(
        select(PaymentOrderLine.insurance_type, PaymentOrderLine.period).where(
            PaymentOrderLine.city == city_code,
            PaymentOrderLine.person_id == person.id,
            PaymentOrderLine.holds_period.is_(True),
            PaymentOrderLine.period >= min(period for _kind, period in wanted),
            PaymentOrderLine.period <= max(period for _kind, period in wanted),
        )
    ).all()
    clash = sorted({period for kind, period in held if (kind, period) in wanted})
    if clash:
        raise PaymentRefused(_in_open_order(clash), "start")


def _in_open_order(periods: list[date]) -> str:
    return _(
        "These months are already in another order: %(months)s. Finish or void that order "
        "first (Orders).",
        months=", ".join(period.strftime("%Y-%m") for period in periods[:6]),
    )
