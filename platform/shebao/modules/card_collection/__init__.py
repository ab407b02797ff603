"""社保卡信息采集 and 照片采集: the card application form and the ID photo."""

from typing import Annotated

from flask_babel import lazy_gettext as _l
from pydantic import Field

from ...tenancy.types import Frozen, Label, Slug
from ..base import FeatureModule, ModuleOptions
from ..planned import entries, planned_blueprint

NAME = "card_collection"
ENTRIES = entries(
    NAME,
    ("info", _l("Card information collection")),
    ("photo", _l("Card photo collection")),
)


class IssuingBank(Frozen):
    code: Slug
    name: Label


class PhotoSpec(Frozen):
    width: Annotated[int, Field(ge=100, le=2000)] = 358
    height: Annotated[int, Field(ge=100, le=2000)] = 441
    max_bytes: Annotated[int, Field(ge=10_000, le=10_000_000)] = 2_000_000


class CardCollectionOptions(ModuleOptions):
    banks: Annotated[list[IssuingBank], Field(min_length=1)]
    collection_points: Annotated[list[Label], Field(min_length=1)]
    photo: PhotoSpec = PhotoSpec()


module = FeatureModule(
    name=NAME,
    label=_l("Card collection"),
    blueprint=planned_blueprint(NAME, ENTRIES),
    entries=ENTRIES,
    options=CardCollectionOptions,
    description="Card application form and ID photo upload",
)
