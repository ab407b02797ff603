"""The header's unread message count (消息中心), for the logged-in resident of a city that
offers the message centre."""

from __future__ import annotations

from flask import g
from flask_login import current_user

from ..messages.services import MODULE, unread_count


def unread_messages() -> int | None:
    """How many of the resident's messages are unread; None when there is nothing to show
    (nobody logged in, or the city has no message centre). Asked by the header only, so a
    page that is not rendered costs no query."""
    city = g.get("city")
    if city is None or not city.module_enabled(MODULE) or not current_user.is_authenticated:
        return None
    return unread_count(city, current_user.person_id)
