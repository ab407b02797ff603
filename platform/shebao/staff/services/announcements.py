"""通知公告: a city's announcements, written by its editors in both languages.

The body is Markdown (CommonMark, markdown-it-py, raw HTML off), rendered once when saved and
sanitised with nh3 (only the tags Markdown makes, links http/https/mailto only). A body that
tries script (``<script>``, a ``javascript:`` or ``data:`` link, an ``on…=`` handler) is
refused outright with a message, rather than quietly cleaned: the editor sees what went wrong.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from functools import cache

import nh3
from flask_babel import gettext as _
from sqlalchemy import or_, select

from ...core.extensions import db
from ...core.time import utcnow
from ...tenancy.city import City
from ...web.queries import Page, paginate
from ..models import Announcement, StaffMember
from .auditing import record
from .errors import StaffError

MAX_TITLE = 120
MAX_BODY = 20_000
_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "h2", "h3", "h4", "blockquote",
    "code", "pre", "hr",
}  # fmt: skip
_SCRIPTY = re.compile(
    r"<\s*/?\s*(script|iframe|object|embed|style)\b|(java|vb)script\s*:|data\s*:\s*text/html"
    r"|\bon[a-z]+\s*=",
    re.IGNORECASE,
)


@cache
def _markdown():
    """The Markdown parser, made (and markdown-it imported) when a first body is rendered."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False})


def render_markdown(body: str) -> str:
    html = _markdown().render(body)
    # Headings move down one level: the page's own <h1> is the announcement's title.
    html = re.sub(r"<(/?)h1>", r"<\1h2>", html)
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def _check_body(body: str, field: str) -> str:
    text = (body or "").strip()
    if not text:
        raise StaffError(_("Write the announcement's text."), field)
    if len(text) > MAX_BODY:
        raise StaffError(_("The text may have at most %(n)s characters.", n=MAX_BODY), field)
    # Compatibility forms and control characters cannot hide a scheme (ｊａｖａ… , java\tscript:).
    plain = re.sub(r"[\x00-\x20]", "", unicodedata.normalize("NFKC", text))
    if _SCRIPTY.search(text) or _SCRIPTY.search(plain):
        raise StaffError(
            _(
                "The text contains script (a <script> tag, a javascript: link or an event "
                "handler), which announcements may not carry. Remove it and save again."
            ),
            field,
        )
    return text


def _check_title(title: str, field: str) -> str:
    text = " ".join((title or "").split())
    if not text:
        raise StaffError(_("Write the title."), field)
    if len(text) > MAX_TITLE:
        raise StaffError(_("A title may have at most %(n)s characters.", n=MAX_TITLE), field)
    return text


def save_announcement(
    city: City,
    staff: StaffMember,
    values: dict,
    publish_from: datetime,
    publish_until: datetime | None,
    announcement_id: int | None = None,
) -> Announcement:
    """Create or update an announcement; StaffError (nothing saved) on any bad field."""
    title_zh = _check_title(values.get("title_zh", ""), "title_zh")
    title_en = _check_title(values.get("title_en", ""), "title_en")
    body_zh = _check_body(values.get("body_zh", ""), "body_zh")
    body_en = _check_body(values.get("body_en", ""), "body_en")
    if publish_until is not None and publish_until <= publish_from:
        raise StaffError(_("The end of publication must come after its start."), "publish_until")
    if announcement_id is None:
        row = Announcement(city=city.code, author_id=staff.id, created_at=utcnow())
        db.session.add(row)
    else:
        row = announcement_in_city(city, announcement_id)
    row.title_zh, row.title_en, row.body_zh, row.body_en = title_zh, title_en, body_zh, body_en
    row.html_zh, row.html_en = render_markdown(body_zh), render_markdown(body_en)
    row.publish_from, row.publish_until = publish_from, publish_until
    row.pinned = bool(values.get("pinned"))
    row.updated_at = utcnow()
    db.session.flush()
    record(
        "announcement_saved" if announcement_id else "announcement_published",
        city,
        staff,
        announcement=row.id,
        title=title_zh[:60],
    )
    return row


def announcement_in_city(city: City, announcement_id: int) -> Announcement:
    row = db.session.scalar(
        select(Announcement).where(
            Announcement.city == city.code, Announcement.id == announcement_id
        )
    )
    if row is None:
        raise StaffError(_("There is no such announcement in this city."))
    return row


def _published(city: City, now: datetime):
    return (
        select(Announcement)
        .where(
            Announcement.city == city.code,
            Announcement.publish_from <= now,
            or_(Announcement.publish_until.is_(None), Announcement.publish_until > now),
        )
        .order_by(
            Announcement.pinned.desc(), Announcement.publish_from.desc(), Announcement.id.desc()
        )
    )


def latest(city: City, count: int) -> list[Announcement]:
    """The newest published announcements (pinned first), for the home page."""
    if count <= 0:
        return []
    return list(db.session.scalars(_published(city, utcnow()).limit(count)))


def published_page(city: City, page: int, per_page: int) -> Page:
    return paginate(_published(city, utcnow()), page, per_page)


def all_page(city: City, page: int, per_page: int) -> Page:
    """Every announcement of the city, for its editors (newest first)."""
    statement = (
        select(Announcement)
        .where(Announcement.city == city.code)
        .order_by(Announcement.publish_from.desc(), Announcement.id.desc())
    )
    return paginate(statement, page, per_page)


def published_one(city: City, announcement_id: int) -> Announcement | None:
    return db.session.scalar(
        _published(city, utcnow()).where(Announcement.id == announcement_id).limit(1)
    )
