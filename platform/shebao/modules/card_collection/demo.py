"""Demo data: a few returned card applications, so the form and the to-do list show one.

Every 50th resident of the city (from the first) has an application the card office returned
with a reason; nobody has a photo (photos are files a person uploads). Deterministic.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ...core.batch import insert_rows
from .models import RETURNED, CardApplication
from .services import point_key

DEMO_NOW = datetime(2026, 10, 20, 2, 0, tzinfo=UTC)
REASONS = ("通讯地址不完整，请填写到门牌号", "手机号码无法联系，请核对")


def seed_card_collection(city, people: list[dict], rng) -> None:
    options = city.options("card_collection")
    rows = []
    for person in people[::50]:
        created = DEMO_NOW - timedelta(days=rng.randint(5, 40), minutes=rng.randint(0, 600))
        decided = created + timedelta(days=rng.randint(1, 4))
        rows.append(
            {
                "city": city.code,
                "person_id": person["id"],
                "status": RETURNED,
                "nationality": "中国",
                "ethnicity": "01",
                "phone": person["phone"],
                "address": None,
                "occupation": None,
                "bank": options.banks[rng.randrange(len(options.banks))].code,
                "collection_point": point_key(options.collection_points[0]),
                "return_reason": REASONS[rng.randrange(len(REASONS))],
                "created_at": created,
                "updated_at": decided,
                "submitted_at": created,
                "decided_at": decided,
            }
        )
    insert_rows(CardApplication, rows)
