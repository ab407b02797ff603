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

from flask import flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from ..extensions import db, login_manager


def load_account(user_id: str):
    from ..accounts.models import Account

    city = g.get("city")
    account_id, _sep, epoch = (user_id or "").partition(":")
    if city is None or session.get("city") != city.code or not account_id.isdigit():
        return None
    account = db.session.get(Account, int(account_id))  # scoped to the request's city
    if account is None or str(account.session_epoch) != epoch:
        return None
    return account


def install_login_manager(app) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(load_account)
    login_manager.login_message = None


def _end(message: str) -> None:
    lang = session.get("lang")
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    flash(message, "info")


def guard(city, module):
    """Run after the city is known; returns a redirect when the request may not go on."""
    from ..accounts.views import FORCED_CHANGE_ENDPOINTS

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
        if current_user.must_change_password and endpoint not in FORCED_CHANGE_ENDPOINTS:
            return redirect(url_for("account.change_password"))
        return None
    if module is not None and not module.is_public(endpoint, city.options(module.name)):
        return redirect(url_for("account.login", next=request.full_path.rstrip("?")))
    return None
