"""How payments name things on pages: insurance types, and the kind of an order."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ...tenancy.city import City
from . import NAME
from .models import PaymentOrder

FLEXIBLE_ENTRIES = ("flexible", "flexible_medical")
#: The insurance types as the payment pages name them (shorter than ``InsuranceType.label``).
TYPE_LABELS = {
    "pension": _l("Pension insurance"),
    "medical": _l("Medical insurance"),
    "resident_pension": _l("Resident pension insurance"),
    "resident_medical": _l("Resident medical insurance"),
}


def type_label(kind: str) -> str:
    """The insurance type as residents read it (养老保险 …); unknown types as they are."""
    label = TYPE_LABELS.get(kind)
    return kind if label is None else str(label)


def kind_label(city: City, order: PaymentOrder) -> str:
    """The order's business under the city's own menu label (the entry it was started from)."""
    if order.kind == "flexible":
        entry = order.entry if order.entry in FLEXIBLE_ENTRIES else "flexible"
        return city.entry_label(NAME, entry)
    return city.entry_label(NAME, order.kind)
