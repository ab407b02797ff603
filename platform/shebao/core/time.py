"""Time, in one place: instants are stored in UTC and shown in the cities' zone, Asia/Shanghai.

Contribution periods are calendar months, held as the ``date`` of their first day; the month
arithmetic here is the one every module uses.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_skeleton, format_time

from .i18n import current_locale

#: Every city of the platform keeps China Standard Time (the same as Flask-Babel's default
#: timezone, ``BABEL_DEFAULT_TIMEZONE``, which formats times on pages).
LOCAL_ZONE = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    """Now, timezone-aware in UTC (what every timestamp column stores)."""
    return datetime.now(UTC)


def local_now() -> datetime:
    return datetime.now(LOCAL_ZONE)


def local_today() -> date:
    """Today in China: the day windows, validity and ages are counted in."""
    return local_now().date()


def to_local(moment: datetime) -> datetime:
    """A stored (UTC) instant as China's wall-clock time."""
    return moment.astimezone(LOCAL_ZONE)


def format_local(moment: datetime | None, pattern: str = "yyyy-MM-dd HH:mm") -> str:
    """A stored instant as the cities' wall-clock time, through Babel (the same zone and
    formatting Flask-Babel's ``format_datetime`` uses on pages); empty for None."""
    if moment is None:
        return ""
    return format_datetime(moment, pattern, tzinfo=LOCAL_ZONE, locale=current_locale())


def local_minute(moment: datetime | None) -> str:
    """``2026-05-01 09:30`` in China's time, or empty for None."""
    return format_local(moment)


def format_month(period: date | None) -> str:
    """A calendar month for the page's language, by Babel: ``2026年5月`` / ``May 2026``."""
    if period is None:
        return ""
    return _month_text(period.year, period.month, current_locale())


@lru_cache(maxsize=4096)
def _month_text(year: int, month: int, locale: str) -> str:
    """Babel parses the locale and matches the skeleton on every call; a page shows a dozen
    months or more, and the same months over and over."""
    return format_skeleton("yMMM", date(year, month, 1), locale=locale)


def format_day(day: date | datetime | None) -> str:
    """A day for the page's language, by Babel: ``2026年5月1日`` / ``May 1, 2026``; a stored
    instant is its day in China."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = to_local(day).date()
    return format_date(day, "medium", locale=current_locale())


def format_moment(moment: datetime | None) -> str:
    """A stored instant as China's wall-clock time to the minute, for the page's language:
    ``2026年5月1日 09:30`` / ``May 1, 2026 09:30``; empty for None."""
    if moment is None:
        return ""
    local = to_local(moment)
    locale = current_locale()
    return f"{format_date(local.date(), 'medium', locale=locale)} {format_time(local, 'HH:mm', locale=locale)}"


def local_to_utc(moment: datetime) -> datetime:
    """A naive wall-clock time in China (or an aware one) as a UTC instant."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_ZONE)
    return moment.astimezone(UTC)


def month_index(period: date) -> int:
    """A month as a running number (year × 12 + month − 1), for arithmetic and ranges."""
    return period.year * 12 + period.month - 1


def from_month_index(index: int) -> date:
    """The first day of the month ``month_index`` numbered ``index``."""
    return date(index // 12, index % 12 + 1, 1)


def add_months(month: date, count: int) -> date:
    """The first day of the month ``count`` months after (or before) ``month``'s month."""
    return from_month_index(month_index(month) + count)


def add_years(day: date, count: int) -> date:
    """The same day ``count`` years later (or earlier); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + count)
    except ValueError:  # 29 February
        return day.replace(year=day.year + count, day=28)


def months_between(first: date, last: date) -> int:
    """Whole calendar months from ``first``'s month to ``last``'s month (0 for the same)."""
    return month_index(last) - month_index(first)


def local_month_bounds(month: date) -> tuple[datetime, datetime]:
    """The UTC instants where ``month`` (a local calendar month) starts and the next starts."""
    start = datetime(month.year, month.month, 1, tzinfo=LOCAL_ZONE)
    following = (start + timedelta(days=32)).replace(day=1)
    return start.astimezone(UTC), following.astimezone(UTC)
