"""The pension estimate's arithmetic, per 国发〔2005〕38号: pure functions of Decimal figures.

- basic pension (基础养老金) = calculation base of the year before retirement
  × (1 + average contribution index) ÷ 2 × contribution years × 1 %;
- average contribution index (平均缴费指数) = the mean, over the months contributed, of the
  month's base ÷ the average wage of its year used for the index; rounded half up to four
  decimals before it is used (the figure the page shows is the figure the sum uses);
- personal-account pension (个人账户养老金) = account balance at retirement ÷ the months
  divisor (计发月数) of the retirement age; between two whole years the divisor moves evenly
  by months: 60 years and 4 months is 139 − (139 − 132) × 4 ÷ 12;
- transitional pension (过渡性养老金), only where the city's rules define it: calculation base
  × average index × deemed contribution years × the city's coefficient;
- resident pension (城乡居民): the city's basic amount + resident account balance ÷ 139.

Every amount is rounded half up to the fen once, at the end of its own formula; contribution
years are months ÷ 12, not rounded. No database, request or city here: the services gather the
figures, this module does the sums, and the unit tests reproduce published examples.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ...core.money import ZERO, to_fen
from .retirement import RetirementAge, month_index, month_of

ONE_PERCENT = Decimal("0.01")
INDEX_PLACES = Decimal("0.0001")
#: 城乡居民: the personal account is paid out over 139 months whatever the age (国发〔2014〕8号).
RESIDENT_DIVISOR = Decimal(139)


class EstimateError(ValueError):
    """A figure the estimate cannot be made with (a sentence for the resident)."""


def contribution_years(months: int) -> Decimal:
    return Decimal(months) / 12


def basic_pension(calculation_base: Decimal, average_index: Decimal, months: int) -> Decimal:
    """基础养老金 for ``months`` of contributions (deemed years included)."""
    return to_fen(
        calculation_base * (1 + average_index) / 2 * contribution_years(months) * ONE_PERCENT
    )


def divisor_for(table: dict[int, int], age: RetirementAge) -> Decimal:
    """计发月数 of ``age``: the table's figure at a whole year, evenly by months between two
    whole years. Raises ``EstimateError`` outside the table."""
    lower = table.get(age.years)
    if lower is None or (age.extra_months and age.years + 1 not in table):
        raise EstimateError(f"no months divisor for the age of {age.years}")
    if not age.extra_months:
        return Decimal(lower)
    upper = table[age.years + 1]
    return Decimal(lower) - Decimal(lower - upper) * age.extra_months / 12


def account_pension(balance: Decimal, divisor: Decimal) -> Decimal:
    """个人账户养老金: the balance at retirement ÷ the months divisor, to the fen."""
    return to_fen(balance / divisor)


def transitional_pension(
    calculation_base: Decimal, average_index: Decimal, deemed_months: int, coefficient: Decimal
) -> Decimal:
    """过渡性养老金 for ``deemed_months`` of deemed contributions (视同缴费年限)."""
    return to_fen(
        calculation_base * average_index * contribution_years(deemed_months) * coefficient
    )


def average_index(indices_sum: Decimal, months: int) -> Decimal:
    """The mean of ``months`` monthly indices summing to ``indices_sum``, to four decimals."""
    if months <= 0:
        return ZERO
    return (indices_sum / months).quantize(INDEX_PLACES, rounding=ROUND_HALF_UP)


def resident_pension(basic_amount: Decimal, balance: Decimal) -> Decimal:
    """城乡居民养老金: the city's basic amount + the account balance ÷ 139."""
    return basic_amount + account_pension(balance, RESIDENT_DIVISOR)


def grown(table: dict[int, Decimal], year: int, growth: Decimal) -> Decimal:
    """A per-year figure (an average wage, a calculation base) in ``year``: the table's value
    of that year (or of the latest year before it the table lists; the earliest for a year
    before the table), after the table's last year its last value grown by ``growth`` each
    year, to the fen each year."""
    last = max(table)
    if year <= last:
        earlier = [key for key in table if key <= year]
        return table[max(earlier)] if earlier else table[min(table)]
    value = table[last]
    for _year in range(last + 1, year + 1):
        value = to_fen(value * (1 + growth))
    return value


@dataclass(frozen=True)
class Tables:
    """The city's per-year figures the estimate uses (from its YAML)."""

    calculation_base: dict[int, Decimal]
    index_wage: dict[int, Decimal]
    divisors: dict[int, int]


@dataclass(frozen=True)
class RecordedFacts:
    """What the records say, which the resident cannot change."""

    #: The base of every month paid, with its year.
    paid_months: tuple[tuple[int, Decimal], ...]
    #: The personal-account balance at the end of ``balance_year`` (interest included).
    balance: Decimal
    balance_year: int
    #: The first month contributions may continue from (after the last record, not before
    #: the current month).
    next_month: date
    #: Of the months paid, those before personal accounts began (deemed years, 视同缴费年限),
    #: when the city defines them; they count in the contribution years like any other month.
    deemed_months: int = 0


@dataclass(frozen=True)
class Assumptions:
    """What the resident may change."""

    #: The future monthly base as an index of the average wage (1.00 = 100 %), or …
    base_index: Decimal | None
    #: … as an amount in yuan a month this year (it grows with the average wage).
    base_amount: Decimal | None
    wage_growth: Decimal
    interest: Decimal
    #: The share of a month's base credited to the personal account.
    credit_rate: Decimal


@dataclass(frozen=True)
class EmployeeEstimate:
    age: RetirementAge
    retirement: date
    recorded_months: int
    future_months: int
    recorded_index: Decimal
    future_index: Decimal
    average_index: Decimal
    calculation_base: Decimal
    calculation_base_year: int
    basic: Decimal
    balance_now: Decimal
    future_credits: Decimal
    future_interest: Decimal
    balance: Decimal
    divisor: Decimal
    account: Decimal
    #: None: the city defines no deemed years, so it is not estimated.
    transitional: Decimal | None
    deemed_months: int

    @property
    def months(self) -> int:
        return self.recorded_months + self.future_months

    @property
    def years(self) -> Decimal:
        return contribution_years(self.months)

    @property
    def total(self) -> Decimal:
        return self.basic + self.account + (self.transitional or ZERO)


def future_index_of(tables: Tables, assumptions: Assumptions, first_year: int) -> Decimal:
    """The index of every future month: the chosen index, or the amount ÷ this year's wage."""
    if assumptions.base_index is not None:
        return assumptions.base_index
    wage = grown(tables.index_wage, first_year, assumptions.wage_growth)
    return assumptions.base_amount / wage


def estimate_employee(
    facts: RecordedFacts,
    assumptions: Assumptions,
    tables: Tables,
    birth: date,
    age: RetirementAge,
    transitional_coefficient: Decimal | None = None,
) -> EmployeeEstimate:
    """The monthly pension when retiring at ``age``, contributing every month from
    ``facts.next_month`` to the month before retirement at the assumed base."""
    growth = assumptions.wage_growth
    retirement = month_of(month_index(birth) + age.months)
    recorded_sum = sum(
        (base / grown(tables.index_wage, year, growth) for year, base in facts.paid_months),
        Decimal(0),
    )
    recorded = len(facts.paid_months)
    first = facts.next_month
    future = max(0, month_index(retirement) - month_index(first))
    future_index = future_index_of(tables, assumptions, first.year)

    # The account: interest on the opening balance from the year after the recorded balance,
    # for the retirement year only for its months before retirement; a year's credits earn
    # interest from the next year (as the pension account statement counts).
    balance = facts.balance
    credits = interest = ZERO
    months_by_year: dict[int, int] = {}
    for index in range(month_index(first), month_index(first) + future):
        months_by_year[index // 12] = months_by_year.get(index // 12, 0) + 1
    for year in range(facts.balance_year, retirement.year + 1):
        if year > facts.balance_year:
            share = Decimal(retirement.month - 1) / 12 if year == retirement.year else 1
            earned = to_fen(balance * assumptions.interest * share)
            interest += earned
            balance += earned
        months = months_by_year.get(year, 0)
        if months:
            wage = grown(tables.index_wage, year, growth)
            base = to_fen(future_index * wage)
            credited = to_fen(base * assumptions.credit_rate) * months
            credits += credited
            balance += credited

    average = average_index(recorded_sum + future_index * future, recorded + future)
    base_year = retirement.year - 1
    calculation_base = grown(tables.calculation_base, base_year, growth)
    divisor = divisor_for(tables.divisors, age)
    transitional = (
        transitional_pension(
            calculation_base, average, facts.deemed_months, transitional_coefficient
        )
        if transitional_coefficient is not None
        else None
    )
    return EmployeeEstimate(
        age=age,
        retirement=retirement,
        recorded_months=recorded,
        future_months=future,
        recorded_index=average_index(recorded_sum, recorded),
        future_index=future_index.quantize(INDEX_PLACES, rounding=ROUND_HALF_UP),
        average_index=average,
        calculation_base=calculation_base,
        calculation_base_year=base_year,
        basic=basic_pension(calculation_base, average, recorded + future),
        balance_now=facts.balance,
        future_credits=credits,
        future_interest=interest,
        balance=balance,
        divisor=divisor,
        account=account_pension(balance, divisor),
        transitional=transitional,
        deemed_months=facts.deemed_months,
    )


@dataclass(frozen=True)
class ResidentEstimate:
    retirement: date
    years_paid: int
    future_years: int
    yearly_amount: Decimal
    yearly_subsidy: Decimal
    basic_amount: Decimal
    balance_now: Decimal
    balance: Decimal
    account: Decimal

    @property
    def years(self) -> int:
        return self.years_paid + self.future_years

    @property
    def total(self) -> Decimal:
        return self.basic_amount + self.account


def estimate_resident(
    *,
    balance_now: Decimal,
    balance_year: int,
    years_paid: int,
    first_future_year: int,
    retirement: date,
    yearly_amount: Decimal,
    yearly_subsidy: Decimal,
    interest: Decimal,
    basic_amount: Decimal,
) -> ResidentEstimate:
    """城乡居民: paying ``yearly_amount`` (plus the subsidy) each year from
    ``first_future_year`` to the year before ``retirement``; interest yearly on the opening
    balance, a year's payment earning from the next year."""
    balance = balance_now
    future_years = 0
    for year in range(balance_year + 1, retirement.year + 1):
        share = Decimal(retirement.month - 1) / 12 if year == retirement.year else 1
        balance += to_fen(balance * interest * share)
        if first_future_year <= year < retirement.year:
            balance += yearly_amount + yearly_subsidy
            future_years += 1
    return ResidentEstimate(
        retirement=retirement,
        years_paid=years_paid,
        future_years=future_years,
        yearly_amount=yearly_amount,
        yearly_subsidy=yearly_subsidy,
        basic_amount=basic_amount,
        balance_now=balance_now,
        balance=balance,
        account=account_pension(balance, RESIDENT_DIVISOR),
    )
