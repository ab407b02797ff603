"""Send slots: how many SMS messages went out per phone, account, client address and city.

Each limit is a counter row per (city, scope, subject, window), unique, raised by one
conditional upsert: ``INSERT … ON CONFLICT DO UPDATE SET sent = sent + 1 WHERE sent < limit``.
The database decides, so a limit holds across requests, workers and nodes however they race:
on PostgreSQL a second request for the same row waits until the first one's unit of work ends
and then sees its count; on SQLite writers take turns anyway.

A phone's limits are counted on the messages it received (the last ``resend_seconds``, the
last 24 hours), so its slot has no window (``EVER``) and no limit: taking it first makes the
requests for one phone take turns, and each then sees the messages the previous one sent.

A slot taken for a message that is then refused (another limit, the phone's resend time) is
given back in the same unit of work, so only messages that go out are counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from sqlalchemy import Integer, String, UniqueConstraint, update
from sqlalchemy.orm import Mapped, mapped_column

from ..core.batch import upsert_insert
from ..core.db_types import UTCDateTime
from ..core.extensions import db
from ..core.time import LOCAL_ZONE
from ..tenancy.scoping import CityScoped


class SmsSendSlot(CityScoped, db.Model):
    """Messages sent in one window for one subject: a phone number, an account (a keyed
    digest of its ID number), a client address, or the whole city."""

    __tablename__ = "sms_send_slot"
    __table_args__ = (UniqueConstraint("city", "scope", "subject", "window_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: phone, account, address or city.
    scope: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(64))
    #: The first instant of the window (a day in China's time, an hour, or ``EVER``).
    window_start: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    sent: Mapped[int] = mapped_column(Integer, default=0)


#: The window of a slot that never ends.
EVER = datetime(2000, 1, 1, tzinfo=UTC)


def day_window(now: datetime) -> datetime:
    """The start of ``now``'s calendar day in China, as a UTC instant."""
    local_day = now.astimezone(LOCAL_ZONE).date()
    return datetime.combine(local_day, time(), LOCAL_ZONE).astimezone(UTC)


def hour_window(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


@dataclass
class SendSlots:
    """The slots one message takes, in the order taken; ``give_back`` undoes them all."""

    city: str
    taken: list[tuple[str, str, datetime]] = field(default_factory=list)

    def take(self, scope: str, subject: str, window_start: datetime, limit: int | None) -> bool:
        """One more message for ``subject`` in this window, unless ``limit`` are sent already
        (no limit: always).

        The row stays locked until the unit of work ends: requests for the same subject take
        turns from here on.
        """
        table = SmsSendSlot.__table__
        statement = (
            upsert_insert(table)
            .values(city=self.city, scope=scope, subject=subject, window_start=window_start, sent=1)
            .on_conflict_do_update(
                index_elements=["city", "scope", "subject", "window_start"],
                set_={"sent": table.c.sent + 1},
                where=None if limit is None else table.c.sent < limit,
            )
            .returning(table.c.sent)
        )
        counted = db.session.execute(statement).scalar() is not None
        if counted:
            self.taken.append((scope, subject, window_start))
        return counted

    def give_back(self) -> None:
        """Uncount every slot taken (the message they were for is not sent)."""
        for scope, subject, window_start in reversed(self.taken):
            db.session.execute(
                update(SmsSendSlot)
                .where(
                    SmsSendSlot.city == self.city,
                    SmsSendSlot.scope == scope,
                    SmsSendSlot.subject == subject,
                    SmsSendSlot.window_start == window_start,
                )
                .values(sent=SmsSendSlot.sent - 1)
                .execution_options(synchronize_session=False)
            )
        self.taken.clear()
