"""Sending a text: features call ``send_sms``; the job queue delivers it through the gateway."""

from __future__ import annotations

from ...core.jobs import enqueue
from .factory import sms_gateway


def deliver_sms(city: str, phone: str, text: str) -> None:
    """The job: hand one text to the configured gateway (raises ``SmsError`` on failure)."""
    sms_gateway().send(city, phone, text)


def send_sms(city: str, phone: str, text: str) -> None:
    """Send ``text`` to ``phone`` for ``city`` (a city code) through the job queue."""
    enqueue(deliver_sms, city, phone, text)
