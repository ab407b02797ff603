"""Who is logged in, for how long, and where they may go.

- A session belongs to one city: a session made on another city's host is not logged in here.
- A session idle for longer than the city's ``auth.session_idle_minutes`` ends.
- A password change bumps the account's session epoch; sessions of an older epoch end.
- Module pages need a login unless the module marks them public.
- While a password change is forced, only the change-password page (and logging out) open.
- Every page seen while logged in is sent with ``Cache-Control: no-store``.
"""

from __future__ import annotations

import time

from flask import current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from ..core.extensions import login_manager


def install(app, user_loader, open_while_forced: frozenset[str]) -> None:
    """Flask-Login with the accounts' ``user_loader``; ``open_while_forced``: the endpoints a
    resident may still open while a password change is forced."""
    login_manager.init_app(app)
    login_manager.user_loader(user_loader)
    login_manager.login_message = None
    app.extensions["shebao.open_while_forced"] = open_while_forced


def _end(message: str) -> None:
    lang = session.get("lang")
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    flash(message, "info")


def guard(city, module):
    """Run after the city is known; returns a redirect when the request may not go on."""
    if session.get("_user_id"):
        now = int(time.time())
        idle = city.config.auth.session_idle_minutes * 60
        if session.get("city") != city.code:
            session.clear()
        elif now - int(session.get("seen", 0)) > idle:
            _end(
                _(
                    "You were logged out after %(minutes)s minutes without activity. Please log in again.",
                    minutes=city.config.auth.session_idle_minutes,
                )
            )
        elif not current_user.is_authenticated:
            _end(_("Your session has ended (the password was changed). Please log in again."))
        else:
            session["seen"] = now
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
