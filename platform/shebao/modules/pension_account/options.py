"""The ``modules.pension_account`` section of a city's YAML."""

from decimal import Decimal
from typing import Annotated

from pydantic import Field

from ...tenancy.modules import ModuleOptions
from ...tenancy.types import Rate, Year

#: The interest rate of years no ``interest_rates`` key covers: 3 %, about the one-year
#: deposit rate that personal accounts earned before the national 记账利率 of 2016.
DEFAULT_INTEREST_RATE = Decimal("0.03")


class PensionAccountOptions(ModuleOptions):
    interest_rates: dict[Year, Rate] = Field(default_factory=dict)
    """记账利率: the yearly interest rate of the personal account by first year in force
    (0.0612 = 6.12 %; a rate applies until the next year listed). Years before the first key,
    or every year when this is absent, earn 3 %."""
    page_size: Annotated[int, Field(ge=1, le=50)] = 10
    """Years per page of the statement."""
