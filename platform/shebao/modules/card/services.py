"""Card rules: the person's card, loss report and its cancellation, processing and swipe records.

Functions take the city and the person explicitly and never touch ``request`` or ``session``.
Every read filters by the city and the person (the request's automatic scoping stays as a
safety net): no row is ever looked up by its id alone. A change writes its event and audit rows
in the caller's unit of work and never commits: the view ends it with ``unit_of_work()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import Select, func, select, update

from ...audit import audit
from ...core.extensions import db
from ...core.time import local_month_bounds, to_local, utcnow
from ...people.models import Person
from ...tenancy.city import City
from ...web.queries import Page, paginate
from . import vocabulary
from .models import Card, CardEvent, CardSwipe

PER_PAGE = 10


class CardError(Exception):
    """A refusal with a message for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class LossReportOutcome:
    card: Card
    #: False when nothing changed (already reported lost / not reported lost).
    changed: bool
    at: datetime


def mask_card_number(number: str) -> str:
    """``A00000001`` → ``*****0001``: for audit rows and messages that need no full number."""
    return "*" * max(len(number) - 4, 0) + number[-4:]


def card_of(city: City, person: Person) -> Card | None:
    """The person's current card, or None when they have none."""
    return db.session.scalars(
        select(Card).where(Card.city == city.code, Card.person_id == person.id)
    ).first()


def loss_report_allowed(city: City) -> bool:
    return bool(city.options("card").loss_report)


def cancel_allowed(city: City) -> bool:
    return bool(city.options("card").cancel_loss_report)


def _switch_status(
    city: City,
    person: Person,
    account,
    *,
    from_status: str,
    to_status: str,
    event_kind: str,
    audit_event: str,
) -> LossReportOutcome:
    """Move the person's card from ``from_status`` to ``to_status`` exactly once.

    The conditional UPDATE (``… WHERE status = from_status``) decides: of two submissions at
    the same time only one changes a row (the other waits for its unit of work to end, then
    finds the status changed), and only that one records an event, so a double click or a
    resent form never makes a second record.
    """
    card = card_of(city, person)
    if card is None:
        raise CardError(_("You have no social security card on record."))
    now = utcnow()
    changed = db.session.execute(
        update(Card)
        .where(
            Card.city == city.code,
            Card.id == card.id,
            Card.person_id == person.id,
            Card.status == from_status,
        )
        .values(status=to_status, updated_at=now),
        execution_options={"synchronize_session": False},
    ).rowcount
    if changed:
        db.session.add(
            CardEvent(
                city=city.code,
                card_id=card.id,
                person_id=person.id,
                kind=event_kind,
                occurred_at=now,
                channel=vocabulary.ONLINE,
                office=None,
            )
        )
        audit(
            audit_event,
            city=city.code,
            account=account,
            person=person,
            card=mask_card_number(card.card_number),
        )
    db.session.refresh(card)
    return LossReportOutcome(card=card, changed=bool(changed), at=now)


def report_loss(city: City, person: Person, account) -> LossReportOutcome:
    """挂失: a normal card becomes reported lost (harmless when it already is)."""
    if not loss_report_allowed(city):
        raise CardError(_("Loss reports are not taken online in this city."))
    outcome = _switch_status(
        city,
        person,
        account,
        from_status=vocabulary.NORMAL,
        to_status=vocabulary.REPORTED_LOST,
        event_kind=vocabulary.LOSS_REPORT,
        audit_event="card_loss_reported",
    )
    if not outcome.changed and outcome.card.status != vocabulary.REPORTED_LOST:
        raise CardError(
            _(
                "A card with the status “%(status)s” cannot be reported lost online.",
                status=vocabulary.label(vocabulary.CARD_STATUSES, outcome.card.status),
            )
        )
    return outcome


def cancel_loss_report(city: City, person: Person, account) -> LossReportOutcome:
    """解除挂失: a reported-lost card becomes normal again, where the city allows it online."""
    if not cancel_allowed(city):
        raise CardError(_("Loss reports cannot be cancelled online in this city."))
    return _switch_status(
        city,
        person,
        account,
        from_status=vocabulary.REPORTED_LOST,
        to_status=vocabulary.NORMAL,
        event_kind=vocabulary.LOSS_CANCELLED,
        audit_event="card_loss_report_cancelled",
    )


def processing_records(city: City, person: Person, page: int, per_page: int = PER_PAGE) -> Page:
    """The person's card processing records, newest first (a page of ``CardEvent``)."""
    statement = (
        select(CardEvent)
        .where(CardEvent.city == city.code, CardEvent.person_id == person.id)
        .order_by(CardEvent.occurred_at.desc(), CardEvent.id.desc())
    )
    return paginate(statement, page, per_page)


def latest_swipe_month(city: City, person: Person) -> date | None:
    """The local month of the person's newest swipe (the swipes page opens on it)."""
    newest = db.session.scalar(
        select(func.max(CardSwipe.swiped_at)).where(
            CardSwipe.city == city.code, CardSwipe.person_id == person.id
        )
    )
    if newest is None:
        return None
    if newest.tzinfo is None:  # SQLite returns aggregate timestamps as naive UTC
        newest = newest.replace(tzinfo=UTC)
    return to_local(newest).date().replace(day=1)


def _swipes_in(city: City, person: Person, month: date) -> Select:
    start, end = local_month_bounds(month)
    return select(CardSwipe).where(
        CardSwipe.city == city.code,
        CardSwipe.person_id == person.id,
        CardSwipe.swiped_at >= start,
        CardSwipe.swiped_at < end,
    )


def swipes(city: City, person: Person, month: date, page: int, per_page: int = PER_PAGE) -> Page:
    """The person's swipes of one local month, oldest first (a page of ``CardSwipe``)."""
    statement = _swipes_in(city, person, month).order_by(CardSwipe.swiped_at, CardSwipe.id)
    return paginate(statement, page, per_page)


def swipe_total(city: City, person: Person, month: date) -> Decimal:
    """The month's total over every page, added up as Decimal (never float)."""
    statement = _swipes_in(city, person, month).with_only_columns(CardSwipe.amount)
    amounts = db.session.scalars(statement)
    return sum(amounts, Decimal("0.00"))
