"""Care mode (关怀模式): a display preference kept in a cookie of its own, per city host.

The switch is a plain link (a GET that sets this harmless preference and redirects back), so
it works without JavaScript; the cookie lasts a year, for the browser. A city may make care
mode the default (``branding.care_mode_default``); a resident's own choice wins either way.
"""

from __future__ import annotations

from flask import Response, g, has_request_context, redirect, request

CARE_COOKIE = "care_mode"
_COOKIE_SECONDS = 365 * 24 * 3600
_ON, _OFF = "on", "off"


def care_mode_on() -> bool:
    """Whether the current request is shown in care mode (never outside a request)."""
    if not has_request_context():
        return False
    chosen = request.cookies.get(CARE_COOKIE)
    if chosen in (_ON, _OFF):
        return chosen == _ON
    city = g.get("city")
    return bool(city and city.config.branding.care_mode_default)


def safe_return_path(target: str | None) -> str:
    """``target`` if it is a path on this site (``/x?y``), else the home page.

    Refuses absolute and scheme-relative addresses (``https://…``, ``//evil``, ``/\\evil``)
    and anything with control characters or backslashes, so the switch never sends a
    resident to another site.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return "/"
    return target


def switch_care_mode(turn_on: bool, back_to: str | None) -> Response:
    """Remember the choice and go back to the page the resident came from."""
    response = redirect(safe_return_path(back_to), code=303)
    response.set_cookie(
        CARE_COOKIE,
        _ON if turn_on else _OFF,
        max_age=_COOKIE_SECONDS,
        path="/",
        secure=request.is_secure,
        httponly=True,
        samesite="Lax",
    )
    return response
