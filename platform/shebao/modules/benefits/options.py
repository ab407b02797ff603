"""The ``modules.benefits`` section of a city's YAML."""

from typing import Annotated, Literal

from pydantic import Field

from ...tenancy.modules import ModuleOptions

BenefitType = Literal["pension", "unemployment", "work_injury", "maternity", "medical"]


class BenefitsOptions(ModuleOptions):
    types: Annotated[list[BenefitType], Field(min_length=1)] = [
        "pension",
        "unemployment",
        "work_injury",
        "maternity",
        "medical",
    ]
    """Benefit types this city shows, each one a menu page."""

    def entry_enabled(self, key: str) -> bool:
        return key in self.types
