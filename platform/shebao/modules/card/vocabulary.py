"""Codes stored in the card tables and their labels.

The Chinese catalogue uses the manual's terms.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

NORMAL = "normal"
REPORTED_LOST = "reported_lost"

#: 卡状态. Only a ``normal`` card can be reported lost online.
CARD_STATUSES = {
    "applied": _l("Application received"),
    "in_production": _l("Being made"),
    "awaiting_collection": _l("Ready for collection"),
    NORMAL: _l("Normal"),
    REPORTED_LOST: _l("Reported lost"),
    "cancelled": _l("Cancelled"),
}
#: Chinese status names the card importer also accepts.
STATUS_NAMES_ZH = {
    "已申领": "applied",
    "制卡中": "in_production",
    "待领卡": "awaiting_collection",
    "正常": NORMAL,
    "挂失": REPORTED_LOST,
    "注销": "cancelled",
}

LOSS_REPORT = "loss_report"
LOSS_CANCELLED = "loss_cancelled"

#: 业务类型 of a card processing record.
EVENT_KINDS = {
    "application": _l("Card application"),
    "production": _l("Card made"),
    "issue": _l("Card issued"),
    "activation": _l("Card activated"),
    LOSS_REPORT: _l("Loss reported"),
    LOSS_CANCELLED: _l("Loss report cancelled"),
    "replacement": _l("Card replaced"),
    "information_change": _l("Card information changed"),
    "pin_reset": _l("Card PIN reset"),
}

ONLINE = "online"
COUNTER = "counter"

#: 消费类型 of a swipe.
SWIPE_KINDS = {
    "outpatient": _l("Outpatient visit"),
    "inpatient": _l("Inpatient settlement"),
    "pharmacy": _l("Pharmacy purchase"),
    "health_check": _l("Health check"),
}


def label(vocabulary: dict, code: str) -> str:
    """The label of ``code`` (the code itself when it is not in the vocabulary)."""
    return str(vocabulary.get(code, code))
