"""Who is logged in, for how long, and where they may go.

- A session belongs to one city: a session made on another city's host is not logged in here.
- Whether a session is still open is the user loader's answer (``account.sessions``: a row
  per session on the server, its idle time ``auth.session_idle_minutes``, its absolute
  lifetime ``auth.session_absolute_hours``, the account's session epoch). When it refuses a
  session, it notes why (``note_session_ended``) and the resident is told so here.
- Module pages need a login unless the module marks them public.
- While a password change is forced, only the change-password page (and logging out) open.
- Every page seen while logged in is sent with ``Cache-Control: no-store``.
"""

from __future__ import annotations

from flask import current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from ..core import time as clock
from ..core.extensions import login_manager

#: The session cookie's key holding when the browser last made a request (a POSIX time).
SEEN_KEY = "seen"
#: ``g`` attribute where the user loader notes why it refused the session.
_ENDED = "session_end_reason"
#: How long before the city's idle time runs out a logged-in page warns, with a button that
#: extends the session (WCAG 2.2.1 asks for at least 20 seconds to answer; a city's idle time
#: is at least 5 minutes).
IDLE_WARNING_SECONDS = 120


def install(app, user_loader, open_while_forced: frozenset[str]) -> None:
    """Flask-Login with the accounts' ``user_loader``; ``open_while_forced``: the endpoints a
    resident may still open while a password change is forced."""
    login_manager.init_app(app)
    login_manager.user_loader(user_loader)
    login_manager.login_message = None
    app.extensions["shebao.open_while_forced"] = open_while_forced
    app.context_processor(lambda: {"idle_warning": idle_warning()})


def idle_warning() -> dict | None:
    """What the page's idle warning needs (logged-in pages only; None elsewhere): the city's
    idle time and how long before its end the warning shows, in seconds."""
    city = g.get("city")
    if city is None or not current_user.is_authenticated:
        return None
    idle_minutes = city.config.auth.session_idle_minutes
    return {
        "idle_seconds": idle_minutes * 60,
        "idle_minutes": idle_minutes,
        "warn_seconds": IDLE_WARNING_SECONDS,
        "warn_minutes": IDLE_WARNING_SECONDS // 60,
    }


def clear_keeping_language() -> None:
    """Empty the browser's session (nothing of it survives a login or a logout) but for the
    language the resident chose."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


#: The cookie's last-seen time is rewritten at most this often (seconds). Writing it on every
#: request made every response re-sign the session and send a new ``Set-Cookie``; now most
#: pages send none. The idle clock may therefore start up to this much early: a session ends
#: after at most the idle time without activity, never later.
SEEN_EVERY = 60


def mark_seen() -> None:
    """Note in the session cookie when this browser was last seen (the idle clock), when
    the time noted is a minute old or more."""
    now = int(clock.utcnow().timestamp())
    seen = session.get(SEEN_KEY)
    if not isinstance(seen, int) or now - seen >= SEEN_EVERY:
        session[SEEN_KEY] = now


def _end(message: str) -> None:
    logout_user()
    clear_keeping_language()
    flash(message, "info")


def note_session_ended(reason: str) -> None:
    """Called by the user loader when it refuses a session: ``idle``, ``absolute``,
    ``password`` (the password was changed or reset) or ``ended`` (logged out, ended by an
    administrator, or unknown here)."""
    g.setdefault(_ENDED, reason)


def _ended_message(city, reason: str) -> str:
    auth = city.config.auth
    if reason == "idle":
        return _(
            "You were logged out after %(minutes)s minutes without activity. Please log in again.",
            minutes=auth.session_idle_minutes,
        )
    if reason == "absolute":
        return _(
            "You were logged out because a login lasts at most %(hours)s hours. "
            "Please log in again.",
            hours=auth.session_absolute_hours,
        )
    if reason == "password":
        return _("Your session has ended (the password was changed). Please log in again.")
    return _("Your session has ended. Please log in again.")


def guard(city, module):
    """Run after the city is known; returns a redirect when the request may not go on."""
    if session.get("_user_id"):
        if session.get("city") != city.code:
            session.clear()
        elif not current_user.is_authenticated:
            _end(_ended_message(city, g.get(_ENDED, "ended")))
        else:
            mark_seen()
    endpoint = request.endpoint or ""
    if current_user.is_authenticated:
        g.personal_data = True
        open_while_forced = current_app.extensions["shebao.open_while_forced"]
        if current_user.must_change_password and endpoint not in open_while_forced:
            return redirect(url_for("account.change_password"))
        return None
    if module is not None and not module.is_public(endpoint, city.options(module.name)):
        return redirect(url_for("account.login", next=request.full_path.rstrip("?")))
    return None
