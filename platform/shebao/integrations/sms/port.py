"""The SMS port's interface: the platform sends texts through an ``SmsGateway``.

The ``http`` backend posts each message to an SMS platform (see ``http.py``). The default
``outbox`` backend writes each message as one JSON line to a file (and logs it)
instead of sending it, so that developers and tests can read the codes. It is a sandbox
backend: the settings refuse it when ``SHEBAO_ENV=production``.
"""

from __future__ import annotations

from typing import Protocol


class SmsGateway(Protocol):
    def send(self, city: str, phone: str, text: str) -> None:
        """Deliver ``text`` to ``phone``; raise ``SmsError`` when it cannot be sent."""


class SmsError(RuntimeError):
    pass
