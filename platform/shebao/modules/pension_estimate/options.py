"""The ``modules.pension_estimate`` section of a city's YAML: every figure per year."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import Field, field_validator

from ...tenancy.modules import ModuleOptions
from ...tenancy.types import Amount, Frozen, Rate, Year


class EstimateYear(Frozen):
    """The published figures of one year."""

    calculation_base: Amount
    """计发基数: the monthly pension calculation base of this year (yuan), used for people who
    retire in the following year."""
    index_wage: Amount
    """The monthly average wage of this year used for the contribution index (缴费指数 =
    the month's base ÷ this figure), in yuan."""


class Transitional(Frozen):
    """过渡性养老金: only where the city defines it; otherwise the page says it is not
    estimated."""

    accounts_began: date
    """The month personal accounts began: pension months on record before it count as deemed
    contribution years (视同缴费年限)."""
    coefficient: Rate
    """过渡系数: 0.012 = 1.2 % of base × index per deemed year."""


class ResidentPension(Frozen):
    """城乡居民养老保险: the city's monthly basic pension."""

    basic_amount: Annotated[dict[Year, Amount], Field(min_length=1)]
    """基础养老金 in yuan a month by first year in force (province minimum plus the city's
    addition)."""
    age: Annotated[int, Field(ge=50, le=70)] = 60
    """The age the resident pension is paid from."""
    minimum_years: Annotated[int, Field(ge=1, le=30)] = 15
    """Years paid needed for a monthly pension."""
    yearly_amount: Amount = Decimal("300")
    """The yearly payment prefilled for a resident who has paid none yet (yuan)."""


class PensionEstimateOptions(ModuleOptions):
    years: Annotated[dict[Year, EstimateYear], Field(min_length=1)]
    """The calculation base and the index wage by year. A year not listed takes the latest
    year before it; years after the last one listed are projected with the wage growth the
    resident assumes (a new year is one more key)."""
    interest_rates: Annotated[dict[Year, Rate], Field(min_length=1)]
    """记账利率 by first year in force (0.0262 = 2.62 %): the resident pension account's
    interest, and the prefilled assumption for future years (the latest rate)."""
    divisors: dict[int, int]
    """计发月数 of 国发〔2005〕38号 by whole age, every age from 40 to 70 (139 at 60)."""
    transitional: Transitional | None = None
    """Deemed contribution years and the transitional coefficient; absent: the transitional
    pension is stated as not estimated."""
    resident: ResidentPension | None = None
    """The resident pension's basic amount; absent: no estimate for residents."""
    wage_growth: Annotated[Rate, Field(le=Decimal("0.10"))] = Decimal("0.03")
    """The yearly average-wage growth prefilled as the assumption (0.03 = 3 %), at most 10 %."""

    @field_validator("divisors")
    @classmethod
    def _every_age(cls, divisors: dict[int, int]) -> dict[int, int]:
        missing = [age for age in range(40, 71) if age not in divisors]
        if missing or set(divisors) - set(range(40, 71)):
            raise ValueError("must list every age from 40 to 70, and no other")
        ages = sorted(divisors)
        if any(divisors[a] <= divisors[b] or divisors[b] <= 0 for a, b in itertools.pairwise(ages)):
            raise ValueError("must fall with every year of age and stay above 0")
        return divisors
