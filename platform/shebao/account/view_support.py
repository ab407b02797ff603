"""What the account views share: ending a unit of work that may refuse, the login session,
where to go after logging in, and where a refusal is shown."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import g, request, session
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..core.transactions import unit_of_work
from ..web.sessions import clear_keeping_language, mark_seen
from ..web.templating import render
from . import sessions
from .errors import AccountError, FailedAttempt
from .models import Account


@contextmanager
def unit_of_work_keeping_attempts() -> Iterator[None]:
    """``unit_of_work()`` around a service call that may refuse.

    A refusal (``AccountError``) rolls the work back, so it changes nothing. A
    ``FailedAttempt`` is the exception: the attempt it counted (lockout count, a check of an
    SMS code, its audit rows) is committed first, then the refusal is raised like any other.
    """
    failed: FailedAttempt | None = None
    with unit_of_work():
        try:
            yield
        except FailedAttempt as refusal:
            failed = refusal
    if failed is not None:
        raise failed


def start_session(account: Account) -> None:
    """A fresh session for this account (nothing of the anonymous session survives), with its
    row on the server; a session this browser had before ends (renewed)."""
    with unit_of_work():
        sessions.end_current_session(g.city, session.get(sessions.SESSION_ID_KEY), "renewed")
        session_id = sessions.open_session(g.city, account)
    clear_keeping_language()
    login_user(account)
    session["city"] = g.city.code
    session[sessions.SESSION_ID_KEY] = session_id
    mark_seen()


def end_session(reason: str = "logout") -> None:
    """Log out: the session ends on the server (a copy of the cookie is refused everywhere)
    and in this browser; ``reason`` is how (``logout`` 退出当前账号, ``exit`` 退出)."""
    with unit_of_work():
        sessions.end_current_session(
            g.city,
            session.get(sessions.SESSION_ID_KEY),
            reason,
            account=current_user._get_current_object() if current_user.is_authenticated else None,
        )
    logout_user()
    clear_keeping_language()


def safe_next() -> str | None:
    """The ``next`` page to go to after logging in, if it is a path on this site."""
    target = request.args.get("next", "")
    # Browsers drop tabs and newlines from a URL: "/\t/evil.example" would be "//evil.example".
    if (
        target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and target.isprintable()
    ):
        return target
    return None


def attach(form, error: AccountError) -> str | None:
    """Put a service refusal next to its field; return it when it belongs to the whole form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
        return None
    return error.message


def render_not_offered():
    return render("account/not_offered.html", title=_("Not offered")), 404
