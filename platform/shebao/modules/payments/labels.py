"""How payments name things on pages: insurance types, and the kind of an order."""

from __future__ import annotations

from flask_babel import gettext as _

from ...tenancy.city import City
from . import NAME
from .models import PaymentOrder

FLEXIBLE_ENTRIES = ("flexible", "flexible_medical")


def type_label(kind: str) -> str:
    """The insurance type as residents read it (养老保险 …); unknown types as they are."""
    labels = {
        "pension": _("Pension insurance"),
        "medical": _("Medical insurance"),
        "resident_pension": _("Resident pension insurance"),
        "resident_medical": _("Resident medical insurance"),
    }
    return labels.get(kind, kind)


def kind_label(city: City, order: PaymentOrder) -> str:
    """The order's business under the city's own menu label (the entry it was started from)."""
    if order.kind == "flexible":
        entry = order.entry if order.entry in FLEXIBLE_ENTRIES else "flexible"
        return city.entry_label(NAME, entry)
    return city.entry_label(NAME, order.kind)
