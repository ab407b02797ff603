"""The ``modules.pension_account`` section of a city's YAML."""

from decimal import Decimal
from typing import Annotated

from pydantic import Field

from ...tenancy.modules import ModuleOptions
from ...tenancy.types import Frozen, Rate, Year

#: The interest rate of years no ``interest_rates`` key covers: 3 %, about the one-year
#: deposit rate that personal accounts earned before the national 记账利率 of 2016.
DEFAULT_INTEREST_RATE = Decimal("0.03")


class AccountCredit(Frozen):
    """记入个人账户: the share of a paid month's base that goes to the personal account, by
    personnel category (the rest goes to the pooled fund)."""

    employee: Rate
    """A month paid by an employer (the payer is an employer's name): 0.08 = 8 % of the base."""
    flexible: Rate
    """A month the person paid themself (灵活就业, payer 个人缴费): 0.08 = 8 % of the base of
    the 20 % paid (国发〔2005〕38号)."""


class PensionAccountOptions(ModuleOptions):
    account_credit: Annotated[dict[Year, AccountCredit], Field(min_length=1)]
    """The employee pension personal account's credit rates by first year in force (a rule
    applies until the next year listed). A paid month credits its base × the rate of its
    year and category, rounded half up to the fen; a year with paid months before the first
    key cannot be shown (the statement says so)."""
    interest_rates: dict[Year, Rate] = Field(default_factory=dict)
    """记账利率: the yearly interest rate of the personal account by first year in force
    (0.0612 = 6.12 %; a rate applies until the next year listed). Years before the first key,
    or every year when this is absent, earn 3 %."""
    page_size: Annotated[int, Field(ge=1, le=50)] = 10
    """Years per page of the statement."""
