"""社保卡信息采集 and 照片采集: the card application form and the ID photo."""

from typing import Annotated

from flask_babel import lazy_gettext as _l
from pydantic import Field

from ...tenancy.types import Frozen, Label, Slug
from ..base import FeatureModule, ModuleOptions, entries
from .demo import seed_card_collection
from .views import blueprint

NAME = "card_collection"
ENTRIES = entries(
    NAME,
    ("info", _l("Card information collection")),
    ("photo", _l("Card photo collection")),
)


class IssuingBank(Frozen):
    code: Slug
    """The bank's short code, for example icbc."""
    name: Label
    """The bank's name as residents see it."""


class PhotoSpec(Frozen):
    width: Annotated[int, Field(ge=100, le=2000)] = 358
    """Width of the ID photo in pixels."""
    height: Annotated[int, Field(ge=100, le=2000)] = 441
    """Height of the ID photo in pixels."""
    max_bytes: Annotated[int, Field(ge=10_000, le=10_000_000)] = 2_000_000
    """Largest photo file accepted, in bytes."""


class CardCollectionOptions(ModuleOptions):
    banks: Annotated[list[IssuingBank], Field(min_length=1)]
    """Banks a resident may choose to issue the card (发卡银行)."""
    collection_points: Annotated[list[Label], Field(min_length=1)]
    """Places where a resident may collect the card (领卡网点)."""
    photo: PhotoSpec = PhotoSpec()
    """Size and file limits of the uploaded ID photo."""


module = FeatureModule(
    name=NAME,
    label=_l("Card collection"),
    blueprint=blueprint,
    entries=ENTRIES,
    options=CardCollectionOptions,
    description="Card application form and ID photo upload",
    demo_seeder=seed_card_collection,
)


def _register_todo_source() -> None:
    from ..todo.sources import register_source
    from .todo import unfinished_collection

    register_source(NAME, unfinished_collection)


_register_todo_source()
