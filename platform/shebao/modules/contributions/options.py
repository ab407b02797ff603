"""The ``modules.contributions`` section of a city's YAML."""

from typing import Annotated

from pydantic import Field, field_validator, model_validator

from ...people.insurance import InsuranceType
from ...tenancy.modules import ModuleOptions
from ...tenancy.types import Amount, Frozen, Rate, Year


class RateSplit(Frozen):
    individual: Rate
    """Share of the base paid by the insured person (0.08 = 8 %)."""
    employer: Rate
    """Share of the base paid by the employer."""


class ContributionYear(Frozen):
    """Base bounds and rates in force from a year on, until the next year listed."""

    base_min: Amount
    """Lowest monthly contribution base, in yuan."""
    base_max: Amount
    """Highest monthly contribution base, in yuan."""
    rates: dict[InsuranceType, RateSplit]
    """Contribution rates per insurance type."""

    @model_validator(mode="after")
    def _bounds(self):
        if self.base_min > self.base_max:
            raise ValueError("base_min must not be greater than base_max")
        return self


class ContributionsOptions(ModuleOptions):
    types: Annotated[list[InsuranceType], Field(min_length=1)] = list(InsuranceType)
    """Insurance types whose history this city shows, in menu order."""
    page_size: Annotated[int, Field(ge=1, le=100)] = 12
    """Rows per page of a year's history."""
    years: dict[Year, ContributionYear] = Field(default_factory=dict)
    """Money rules by first year in force (a new year is one more key)."""

    @field_validator("types")
    @classmethod
    def _unique(cls, types):
        if len(set(types)) != len(types):
            raise ValueError("lists an insurance type twice")
        return types

    def entry_enabled(self, key: str) -> bool:
        return key in {kind.value for kind in self.types}
