"""The ``modules.contributions`` section of a city's YAML."""

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from ...people.insurance import InsuranceType
from ...tenancy.modules import ModuleOptions
from ...tenancy.types import Amount, Frozen, Rate, Year

FlexibleType = Literal["pension", "medical"]


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
    flexible: dict[FlexibleType, Rate] = Field(default_factory=dict)
    """灵活就业: the share of the base a flexible-employment payer pays in full, with no
    employer part, per insurance type (pension 0.20 = 20 %); absent: none recorded."""

    @model_validator(mode="after")
    def _bounds(self):
        if self.base_min > self.base_max:
            raise ValueError("base_min must not be greater than base_max")
        return self


class ResidentPensionSubsidies(Frozen):
    """居民养老: the government subsidy of a year, by the grade the resident chose."""

    subsidies: Annotated[dict[Amount, Amount], Field(min_length=1)]
    """Subsidy in yuan a year by the lowest grade it is given for: {100: 30, 500: 60} gives 30
    to grades from 100 up to 500 and 60 from 500 up; grades below the first key get none."""

    def subsidy(self, grade: Decimal) -> Decimal | None:
        """The subsidy of ``grade``, or None below the first key."""
        thresholds = [low for low in self.subsidies if low <= grade]
        return self.subsidies[max(thresholds)] if thresholds else None


class ResidentMedicalSubsidy(Frozen):
    """居民医疗: a year's contribution per person and the government subsidy."""

    amount: Amount
    """What the resident pays for the year, in yuan."""
    subsidy: Amount
    """What the government adds for each insured resident, in yuan."""


class ContributionsOptions(ModuleOptions):
    types: Annotated[list[InsuranceType], Field(min_length=1)] = list(InsuranceType)
    """Insurance types whose history this city shows, in menu order."""
    page_size: Annotated[int, Field(ge=1, le=100)] = 12
    """Rows per page of a year's history."""
    years: dict[Year, ContributionYear] = Field(default_factory=dict)
    """Money rules by first year in force (a new year is one more key)."""
    resident_pension: dict[Year, ResidentPensionSubsidies] = Field(default_factory=dict)
    """Resident pension subsidies by first year in force: recorded in the employer column of
    each resident pension year paid (seeded or paid online)."""
    resident_medical: dict[Year, ResidentMedicalSubsidy] = Field(default_factory=dict)
    """Resident medical amount and subsidy by first year in force: the subsidy is recorded in
    the employer column of each resident medical year paid (seeded or paid online)."""

    @field_validator("types")
    @classmethod
    def _unique(cls, types):
        if len(set(types)) != len(types):
            raise ValueError("lists an insurance type twice")
        return types

    def entry_enabled(self, key: str) -> bool:
        return key in {kind.value for kind in self.types}
