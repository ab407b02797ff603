"""Demo data: a few unfinished and expired orders, so the order pages have something to show.

No order here is paid: paid contributions come from the contributions module's seed, and a
paid order without its records would be a fake. Deterministic for a given ``rng``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from ...core.batch import insert_returning, insert_rows
from ...core.money import to_fen
from ...tenancy.types import rule_for_year
from .models import PaymentOrder, PaymentOrderLine, PaymentTransition

DEMO_NOW = datetime(2026, 10, 20, 2, 0, tzinfo=UTC)
PERIOD = date(2026, 11, 1)


def seed_payments(city, people: list[dict], rng) -> None:
    options = city.options("payments")
    flexible = options.flexible
    if flexible is None:
        return
    rule = rule_for_year(flexible.years, PERIOD.year)
    if rule is None or "pension" not in rule.rates:
        return
    chosen = [person for person in people if person["category"] == "flexible"][::10]
    orders, numbers = [], {}
    for seq, person in enumerate(chosen, start=1):
        base = to_fen(rule.base_min + Decimal(rng.randint(0, 10)) * 100)
        amount = to_fen(base * rule.rates["pension"])
        created = DEMO_NOW - timedelta(days=rng.randint(1, 30), minutes=rng.randint(0, 600))
        number = f"{city.code[:2].upper()}DEMO{seq:08d}"
        numbers[number] = (person, base, amount, created)
        orders.append(
            {
                "city": city.code,
                "number": number,
                "person_id": person["id"],
                "kind": "flexible",
                "entry": "flexible",
                "status": "expired",
                "total": amount,
                "bank": None,
                "bank_transaction": None,
                "refund_due": False,
                "created_at": created,
                "updated_at": created + timedelta(minutes=options.order_ttl_minutes),
                "paid_at": None,
            }
        )
    if not orders:
        return
    ids = insert_returning(PaymentOrder, orders, key="number")
    lines, transitions = [], []
    for number, (person, base, amount, created) in numbers.items():
        order_id = ids[number]
        lines.append(
            {
                "city": city.code,
                "order_id": order_id,
                "person_id": person["id"],
                "insurance_type": "pension",
                "period": PERIOD,
                "base": base,
                "amount": amount,
                "holds_period": None,
            }
        )
        transitions.append(
            {
                "city": city.code,
                "order_id": order_id,
                "from_status": "",
                "to_status": "created",
                "cause": "resident",
                "created_at": created,
            }
        )
        transitions.append(
            {
                "city": city.code,
                "order_id": order_id,
                "from_status": "created",
                "to_status": "expired",
                "cause": "expiry",
                "created_at": created + timedelta(minutes=options.order_ttl_minutes),
            }
        )
    insert_rows(PaymentOrderLine, lines)
    insert_rows(PaymentTransition, transitions)
