"""The SMS port: the platform sends texts through an ``SmsGateway``.

The default ``outbox`` backend writes each message as one JSON line to a file (and logs it)
instead of sending it, so that developers and tests can read the codes. It is a sandbox
backend: the settings refuse it when ``SHEBAO_ENV=production``.
"""

from __future__ import annotations

from typing import Protocol

from flask import current_app


class SmsGateway(Protocol):
    def send(self, city: str, phone: str, text: str) -> None:
        """Deliver ``text`` to ``phone``; raise ``SmsError`` when it cannot be sent."""


class SmsError(RuntimeError):
    pass


def create_gateway(settings) -> SmsGateway:
    if settings.sms_backend == "outbox":
        from .outbox import OutboxSms

        return OutboxSms(settings.sms_outbox)
    raise SmsError(f"unknown SMS backend {settings.sms_backend!r}")


def sms_gateway() -> SmsGateway:
    return current_app.extensions["shebao.sms"]
