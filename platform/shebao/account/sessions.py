"""Which account a session cookie stands for (Flask-Login's user loader).

A session is bound to one city and to the account's session epoch: a cookie made on another
city's host, or before a password change, loads no account.
"""

from __future__ import annotations

from flask import g, session

from ..core.extensions import db
from .models import Account


def load_account(user_id: str):
    city = g.get("city")
    account_id, _sep, epoch = (user_id or "").partition(":")
    if city is None or session.get("city") != city.code or not account_id.isdigit():
        return None
    account = db.session.get(Account, int(account_id))  # scoped to the request's city
    if account is None or account.city != city.code or str(account.session_epoch) != epoch:
        return None
    return account
