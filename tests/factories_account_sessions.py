"""Factories of the server-side session rows (``account.models.AccountSession``)."""

from __future__ import annotations

import hashlib

from shebao.account.models import AccountSession
from tests.factories import _add, account


def account_session(city: str, seq: int = 1) -> AccountSession:
    owner = account(city, seq)
    digest = hashlib.sha256(f"session-{city}-{seq}".encode()).hexdigest()
    return _add(AccountSession(city=city, token_digest=digest, account_id=owner.id))


FACTORIES: dict = {AccountSession: account_session}
