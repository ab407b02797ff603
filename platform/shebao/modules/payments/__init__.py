"""缴费业务 / 社保缴费: flexible-employment, resident pension and medical payments, orders."""

from flask_babel import lazy_gettext as _l

from ...tenancy.modules import FeatureModule, entries
from .options import PaymentsOptions

NAME = "payments"
ENTRIES = entries(
    NAME,
    ("flexible", _l("Flexible employment contributions")),
    ("flexible_medical", _l("Flexible employment medical contributions")),
    ("resident_pension", _l("Resident pension contributions")),
    ("resident_medical", _l("Resident medical contributions")),
    ("orders", _l("Orders")),
)

module = FeatureModule(
    name=NAME,
    label=_l("Payments"),
    package=__name__,
    entries=ENTRIES,
    options=PaymentsOptions,
    description="Contributions paid through a bank, with orders",
    public_endpoints=frozenset({"payments.notify"}),
    seeder=".demo:seed_payments",
    todo_sources=(".todo:open_order_items",),
    commands=(".commands:payments_group",),
    periodic_jobs=(".jobs:expire_stale_orders",),
)
