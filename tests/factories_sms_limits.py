"""Factories of the SMS send slots (``account.sms_limits.SmsSendSlot``)."""

from __future__ import annotations

from shebao.account.sms_limits import SmsSendSlot
from tests.factories import SOON, _add


def sms_send_slot(city: str, seq: int = 1) -> SmsSendSlot:
    return _add(
        SmsSendSlot(
            city=city, scope="phone", subject=f"1380000{seq:04d}", window_start=SOON, sent=1
        )
    )


FACTORIES: dict = {SmsSendSlot: sms_send_slot}
