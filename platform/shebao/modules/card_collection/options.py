"""The ``modules.card_collection`` section of a city's YAML."""

from typing import Annotated

from pydantic import Field

from ...tenancy.modules import ModuleOptions
from ...tenancy.types import Frozen, Label, Slug


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
