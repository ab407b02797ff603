"""Factories of the card-collection module's city-owned models (for the isolation test)."""

from __future__ import annotations

from shebao.core.extensions import db
from shebao.modules.card_collection.models import CardApplication, CardPhoto
from tests import factories


def _add(row):
    db.session.add(row)
    db.session.flush()
    return row


def card_application(city: str, seq: int = 1, **values) -> CardApplication:
    owner = values.pop("person", None) or factories.person(city, seq)
    return _add(
        CardApplication(
            city=city,
            person_id=owner.id,
            status=values.pop("status", "draft"),
            nationality="中国",
            ethnicity="01",
            phone=owner.phone,
            address="测试路1号",
            occupation="职员",
            bank="icbc",
            collection_point="德城区社保服务大厅",
            **values,
        )
    )


def card_photo(city: str, seq: int = 1, **values) -> CardPhoto:
    owner = values.pop("person", None) or factories.person(city, seq)
    return _add(
        CardPhoto(
            city=city,
            person_id=owner.id,
            storage_key=values.pop("storage_key", f"{city}/photos/{seq:032x}.jpg"),
            width=358,
            height=441,
            size_bytes=1000,
            status=values.pop("status", "pending"),
            **values,
        )
    )


FACTORIES: dict = {CardApplication: card_application, CardPhoto: card_photo}
