"""Factories of the message centre's rows (``messages.models.Message``) and of the browsers
accounts log in from (``account.models.AccountDevice``)."""

from __future__ import annotations

import hashlib

from shebao.account.models import AccountDevice
from shebao.messages.kinds import MessageKind
from shebao.messages.models import Message
from tests.factories import _add, account, person


def message(city: str, seq: int = 1, **values) -> Message:
    owner_id = values.pop("person_id", None) or person(city, seq).id
    return _add(
        Message(
            city=city,
            person_id=owner_id,
            kind=values.pop("kind", MessageKind.ORDER_PAID.value),
            params=values.pop("params", {"order": f"2026{seq:012d}", "amount": "100.00"}),
            link_endpoint=values.pop("link_endpoint", None),
            link_values=values.pop("link_values", {}),
            **values,
        )
    )


def account_device(city: str, seq: int = 1) -> AccountDevice:
    owner = account(city, seq)
    digest = hashlib.sha256(f"device-{city}-{seq}".encode()).hexdigest()
    return _add(AccountDevice(city=city, account_id=owner.id, token_digest=digest))


FACTORIES: dict = {Message: message, AccountDevice: account_device}
