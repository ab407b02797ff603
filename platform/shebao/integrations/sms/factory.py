"""Choosing the SMS backend from the settings, and finding it from a request."""

from __future__ import annotations

from flask import current_app

from .port import SmsError, SmsGateway


def create_gateway(settings) -> SmsGateway:
    if settings.sms_backend == "outbox":
        from .outbox import OutboxSms

        return OutboxSms(settings.sms_outbox)
    if settings.sms_backend == "http":
        from .http import HttpSms

        return HttpSms(settings.sms_http_url, settings.sms_http_token)
    raise SmsError(f"unknown SMS backend {settings.sms_backend!r}")


def sms_gateway() -> SmsGateway:
    return current_app.extensions["shebao.sms"]
