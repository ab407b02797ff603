"""Dead letters: texts the gateway did not accept after every try, kept for an operator.

A row holds what resending needs (city, phone, text) and why it failed. A text is only worth
sending while what it carries is valid (an SMS code for minutes, a sent password for hours),
so each row has a ``valid_until``: ``shebao sms resend`` sends again the rows still valid,
and the periodic ``purge_dead_letters`` blanks the text of the others (the phone and the
failure stay, for the record), so no code or password outlives its use in the database.

The table belongs to no city's feature: it is written by the job that delivers texts, which
knows only a city's code; every query here filters by city itself.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Integer, String, Text, select, update
from sqlalchemy.orm import Mapped, mapped_column

from ...core.db_types import UTCDateTime
from ...core.extensions import db
from ...core.time import utcnow

#: How long a text that names no validity of its own is worth resending.
DEFAULT_VALIDITY = timedelta(hours=24)


class SmsDeadLetter(db.Model):
    __tablename__ = "sms_dead_letter"

    id: Mapped[int] = mapped_column(primary_key=True)
    city: Mapped[str] = mapped_column(String(32), index=True)
    phone: Mapped[str] = mapped_column(String(20))
    #: The text as it was to be sent; blanked once ``valid_until`` has passed.
    text: Mapped[str] = mapped_column(Text)
    #: The gateway's last answer (never the text).
    error: Mapped[str] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    valid_until: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    #: When an operator sent it again (``shebao sms resend``); None: still waiting.
    resent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


def keep_dead_letter(
    city: str, phone: str, text: str, error: str, attempts: int, valid_until: datetime | None
) -> SmsDeadLetter:
    """Add a dead letter to the session (the caller's unit of work commits it)."""
    now = utcnow()
    row = SmsDeadLetter(
        city=city,
        phone=phone,
        text=text,
        error=error[:200],
        attempts=attempts,
        created_at=now,
        valid_until=valid_until or now + DEFAULT_VALIDITY,
    )
    db.session.add(row)
    db.session.flush()
    return row


def waiting_dead_letters(city: str | None = None) -> list[SmsDeadLetter]:
    """Rows not resent whose text is still valid, oldest first (``city``: only that city's)."""
    statement = select(SmsDeadLetter).where(
        SmsDeadLetter.resent_at.is_(None), SmsDeadLetter.valid_until > utcnow()
    )
    if city is not None:
        statement = statement.where(SmsDeadLetter.city == city)
    return list(db.session.scalars(statement.order_by(SmsDeadLetter.id)))


def mark_resent(row: SmsDeadLetter) -> bool:
    """Claim ``row`` for resending (once, however many operators run the command)."""
    return bool(
        db.session.execute(
            update(SmsDeadLetter)
            .where(SmsDeadLetter.id == row.id, SmsDeadLetter.resent_at.is_(None))
            .values(resent_at=utcnow())
            .execution_options(synchronize_session=False)
        ).rowcount
    )


def purge_expired_texts() -> int:
    """Blank the text of every dead letter whose validity has passed; returns how many."""
    return db.session.execute(
        update(SmsDeadLetter)
        .where(SmsDeadLetter.valid_until <= utcnow(), SmsDeadLetter.text != "")
        .values(text="")
        .execution_options(synchronize_session=False)
    ).rowcount
