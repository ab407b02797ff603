"""The pension estimate's rules: the recorded facts from the contributions and pension account
services, the assumptions the resident may change, and the estimate for each retirement age.

Nothing is stored or written. Reads take the city explicitly and read only its rows (through
the contributions and pension account services). The sums are in ``calculation``; the
retirement ages in ``retirement``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _

from ...core.money import ZERO, format_money, to_fen
from ...people.insurance import InsuranceType
from ...people.models import Person
from ...tenancy.city import City
from ...tenancy.types import rule_for_year
from ...web.queries import ascii_decimal
from ..contributions import services as contributions
from ..pension_account import services as pension_account
from . import calculation, retirement
from .calculation import (
    Assumptions,
    EmployeeEstimate,
    EstimateError,
    RecordedFacts,
    ResidentEstimate,
    Tables,
)
from .options import PensionEstimateOptions
from .retirement import RetirementAge

#: The legal range of a contribution base: 60 % to 300 % of the average wage.
INDEX_MIN, INDEX_MAX = Decimal(60), Decimal(300)
#: Yearly wage growth the estimate accepts, in percent. Below 0 % is refused: average wages
#: have not fallen in any year of the series, and a falling wage would shrink the base and
#: the calculation base together, which the formula was never meant to project.
GROWTH_FLOOR, GROWTH_CEILING = Decimal(0), Decimal(10)
INTEREST_MIN, INTEREST_MAX = Decimal(0), Decimal(10)
#: A resident's yearly payment, yuan.
RESIDENT_AMOUNT_MIN, RESIDENT_AMOUNT_MAX = Decimal(100), Decimal(10000)
EMPLOYEE_KINDS = ("employee", "flexible")
PERCENT = Decimal(100)


class NotEstimated(Exception):
    """The person cannot be estimated here (retired, no rules); ``message`` says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def options_of(city: City) -> PensionEstimateOptions:
    return city.options("pension_estimate")


def tables_of(options: PensionEstimateOptions) -> Tables:
    return Tables(
        calculation_base={year: rule.calculation_base for year, rule in options.years.items()},
        index_wage={year: rule.index_wage for year, rule in options.years.items()},
        divisors=dict(options.divisors),
    )


def latest_interest(options: PensionEstimateOptions) -> Decimal:
    return options.interest_rates[max(options.interest_rates)]


def percent(rate: Decimal) -> Decimal:
    """0.0262 → 2.62 (percent, two decimals)."""
    return (rate * PERCENT).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- the assumptions --------------------------------------------------------------------


@dataclass(frozen=True)
class Choices:
    """What the form offers and prefills for this person."""

    kind: str  # "employee" or "resident"
    sex: str
    women_original: int
    ages: list[RetirementAge]
    statutory: RetirementAge
    base_index: Decimal  # percent
    wage_growth: Decimal  # percent
    interest: Decimal  # percent
    resident_amount: Decimal | None = None


@dataclass
class Parsed:
    """The assumptions as typed, parsed into values, and the problems by field name."""

    values: dict = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)


def _number(raw: str | None, places: int = 2) -> tuple[Decimal | None, bool]:
    """(value, negative) of ``raw``, or (None, False) when it is not a number at all."""
    text = (raw or "").strip()
    negative = text.startswith("-")
    value = ascii_decimal(text.removeprefix("-").strip(), places=places, max_digits=8)
    return value, negative


def _percent_in(
    parsed: Parsed,
    name: str,
    raw: str | None,
    default: Decimal,
    low: Decimal,
    high: Decimal,
    below: str,
    outside: str,
) -> None:
    if raw is None or not raw.strip():
        parsed.values[name] = default
        return
    value, negative = _number(raw)
    if value is None:
        parsed.problems[name] = _("Enter a number, such as %(example)s.", example=default)
    elif negative or value < low:
        parsed.problems[name] = below
    elif value > high:
        parsed.problems[name] = outside
    else:
        parsed.values[name] = value


def parse_assumptions(args: Mapping[str, str], choices: Choices) -> Parsed:
    """The query's assumptions, each checked, with the prefilled value where one is left
    empty. Never raises: a problem is a sentence for its field."""
    parsed = Parsed()
    if choices.kind == "resident":
        raw = args.get("resident_amount")
        if raw is None or not raw.strip():
            parsed.values["resident_amount"] = choices.resident_amount
        else:
            value, negative = _number(raw)
            if value is None:
                parsed.problems["resident_amount"] = _(
                    "Enter an amount in yuan, such as %(example)s.", example=choices.resident_amount
                )
            elif negative or not RESIDENT_AMOUNT_MIN <= value <= RESIDENT_AMOUNT_MAX:
                parsed.problems["resident_amount"] = _(
                    "The yearly payment must be between %(low)s and %(high)s yuan.",
                    low=RESIDENT_AMOUNT_MIN,
                    high=RESIDENT_AMOUNT_MAX,
                )
            else:
                parsed.values["resident_amount"] = value
    else:
        mode = args.get("base_mode") or "index"
        if mode not in ("index", "amount"):
            parsed.problems["base_mode"] = _("Choose an index or an amount.")
            mode = "index"
        parsed.values["base_mode"] = mode
        index_message = _(
            "The contribution base must be between 60 and 300 percent of the average wage."
        )
        _percent_in(
            parsed,
            "base_index",
            args.get("base_index"),
            choices.base_index,
            INDEX_MIN,
            INDEX_MAX,
            index_message,
            index_message,
        )
        if mode == "amount":
            value, negative = _number(args.get("base_amount"))
            if not (args.get("base_amount") or "").strip():
                parsed.problems["base_amount"] = _(
                    "Enter the monthly base in yuan, or choose an index instead."
                )
            elif value is None:
                parsed.problems["base_amount"] = _(
                    "Enter an amount in yuan, such as %(example)s.", example="5000.00"
                )
            elif negative or value <= 0:
                parsed.problems["base_amount"] = _("The monthly base must be more than 0 yuan.")
            else:
                parsed.values["base_amount"] = value
        _percent_in(
            parsed,
            "wage_growth",
            args.get("wage_growth"),
            choices.wage_growth,
            GROWTH_FLOOR,
            GROWTH_CEILING,
            _(
                "Yearly wage growth must be at least %(floor)s %%: the estimate does not "
                "project falling wages.",
                floor=GROWTH_FLOOR,
            ),
            _("Yearly wage growth must be at most %(ceiling)s %%.", ceiling=GROWTH_CEILING),
        )
        raw_age = args.get("age")
        ages = {str(age.months): age for age in choices.ages}
        if raw_age is None or not raw_age.strip():
            parsed.values["age"] = choices.statutory
        elif raw_age.strip() in ages:
            parsed.values["age"] = ages[raw_age.strip()]
        else:
            parsed.problems["age"] = _("Choose one of the retirement ages listed.")
        raw_original = args.get("women_original")
        if choices.sex == "F" and raw_original and raw_original.strip():
            if raw_original.strip() in ("50", "55"):
                parsed.values["women_original"] = int(raw_original)
            else:
                parsed.problems["women_original"] = _("Choose 50 or 55.")
    _percent_in(
        parsed,
        "interest",
        args.get("interest"),
        choices.interest,
        INTEREST_MIN,
        INTEREST_MAX,
        _("The account interest rate must be between 0 and 10 percent."),
        _("The account interest rate must be between 0 and 10 percent."),
    )
    return parsed


def women_original_of(args: Mapping[str, str], person: Person) -> int:
    """The original retirement age of a woman: what she chose (50 or 55), else 50 for an
    employee (工人) and 55 for a flexible worker; for men 60."""
    if person.sex == "M":
        return 60
    raw = (args.get("women_original") or "").strip()
    if raw in ("50", "55"):
        return int(raw)
    return 55 if person.category == "flexible" else 50


# --- the facts --------------------------------------------------------------------------


def kind_of(person: Person) -> str:
    if person.category in EMPLOYEE_KINDS:
        return "employee"
    if person.category == "resident":
        return "resident"
    raise NotEstimated(
        _(
            "You already receive a pension or are not insured for one, so there is nothing to "
            "estimate. Your pension payments are listed under the benefits pages."
        )
    )


@dataclass(frozen=True)
class EmployeeFacts:
    facts: RecordedFacts
    credit_rate: Decimal
    last_record: date | None


def employee_facts(city: City, person: Person, today: date) -> EmployeeFacts:
    """The months paid and their bases, the account balance with its interest (the pension
    account statement's), and the credit rate of future months."""
    by_year = contributions.contribution_rows(city, person, InsuranceType.PENSION)
    options = options_of(city)
    paid = tuple(
        (row.period.year, row.base)
        for rows in by_year.values()
        for row in rows
        if contributions.is_paid(row)
    )
    try:
        statement = pension_account.account_statement(city, person)
        credit = pension_account.credit_rule(
            city.options("pension_account"), max(today.year, max(by_year, default=today.year))
        )
    except pension_account.NoCreditRule as missing:
        raise NotEstimated(missing.message) from missing
    last = max((row.period for rows in by_year.values() for row in rows), default=None)
    this_month = date(today.year, today.month, 1)
    next_month = this_month
    if last is not None:
        next_month = max(this_month, retirement.month_of(retirement.month_index(last) + 1))
    balance = statement[-1].closing_balance if statement else ZERO
    balance_year = statement[-1].year if statement else today.year - 1
    deemed = 0
    if options.transitional is not None:
        began = options.transitional.accounts_began
        deemed = sum(
            1
            for rows in by_year.values()
            for row in rows
            if contributions.is_paid(row) and row.period < began
        )
    self_paid = person.category == "flexible"
    return EmployeeFacts(
        facts=RecordedFacts(
            paid_months=paid,
            balance=balance,
            balance_year=balance_year,
            next_month=next_month,
            deemed_months=deemed,
        ),
        credit_rate=credit.flexible if self_paid else credit.employee,
        last_record=last,
    )


def employee_choices(
    city: City, person: Person, facts: EmployeeFacts, women_original: int
) -> Choices:
    options = options_of(city)
    tables = tables_of(options)
    original = retirement.original_age(person.sex, women_original)
    recorded_sum = sum(
        (base / calculation.grown(tables.index_wage, year, options.wage_growth))
        for year, base in facts.facts.paid_months
    )
    recorded_index = calculation.average_index(Decimal(recorded_sum), len(facts.facts.paid_months))
    prefilled = (recorded_index * PERCENT).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if not facts.facts.paid_months:
        prefilled = PERCENT
    return Choices(
        kind="employee",
        sex=person.sex,
        women_original=women_original,
        ages=retirement.choosable_ages(person.birth_date, original),
        statutory=retirement.statutory_age(person.birth_date, original),
        base_index=min(max(prefilled, INDEX_MIN), INDEX_MAX),
        wage_growth=percent(options.wage_growth),
        interest=percent(latest_interest(options)),
    )


# --- the estimate -----------------------------------------------------------------------


@dataclass(frozen=True)
class AgeEstimate:
    estimate: EmployeeEstimate
    minimum_years: Decimal
    statutory: bool

    @property
    def meets_minimum(self) -> bool:
        return self.estimate.years >= self.minimum_years


@dataclass(frozen=True)
class EmployeeResult:
    chosen: AgeEstimate
    by_age: list[AgeEstimate]
    assumptions: Assumptions
    base_mode: str
    transitional_defined: bool
    facts: EmployeeFacts


def assumptions_of(values: dict, credit_rate: Decimal) -> Assumptions:
    amount = values.get("base_amount") if values.get("base_mode") == "amount" else None
    return Assumptions(
        base_index=None if amount is not None else values["base_index"] / PERCENT,
        base_amount=amount,
        wage_growth=values["wage_growth"] / PERCENT,
        interest=values["interest"] / PERCENT,
        credit_rate=credit_rate,
    )


def estimate_employee(
    city: City, person: Person, facts: EmployeeFacts, choices: Choices, values: dict
) -> EmployeeResult:
    """The estimate at the chosen age and at every age the person may choose. Raises
    ``EstimateError`` for an amount outside 60–300 % of the average wage."""
    options = options_of(city)
    tables = tables_of(options)
    assumptions = assumptions_of(values, facts.credit_rate)
    if assumptions.base_amount is not None:
        index = calculation.future_index_of(tables, assumptions, facts.facts.next_month.year)
        if not INDEX_MIN <= index * PERCENT <= INDEX_MAX:
            wage = calculation.grown(
                tables.index_wage, facts.facts.next_month.year, assumptions.wage_growth
            )
            raise EstimateError(
                _(
                    "A monthly base of %(amount)s yuan is %(index)s %% of the average wage "
                    "(%(wage)s yuan); a contribution base must be between 60 %% and 300 %%.",
                    amount=format_money(assumptions.base_amount),
                    index=(index * PERCENT).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
                    wage=format_money(wage),
                )
            )
    coefficient = options.transitional.coefficient if options.transitional else None
    by_age = []
    for age in choices.ages:
        estimate = calculation.estimate_employee(
            facts.facts, assumptions, tables, person.birth_date, age, coefficient
        )
        by_age.append(
            AgeEstimate(
                estimate,
                retirement.minimum_years(estimate.retirement),
                age == choices.statutory,
            )
        )
    chosen = next(line for line in by_age if line.estimate.age == values["age"])
    return EmployeeResult(
        chosen=chosen,
        by_age=by_age,
        assumptions=assumptions,
        base_mode=values.get("base_mode", "index"),
        transitional_defined=options.transitional is not None,
        facts=facts,
    )


# --- residents --------------------------------------------------------------------------


@dataclass(frozen=True)
class ResidentFacts:
    years_paid: int
    balance: Decimal
    balance_year: int
    last_amount: Decimal | None


def resident_facts(city: City, person: Person, today: date) -> ResidentFacts:
    """The resident pension years paid, and the account: each year's payment plus its
    subsidy, with interest on the opening balance at the year's rate (a year's payment earns
    from the next year), to the end of the last year paid."""
    options = options_of(city)
    by_year = contributions.contribution_rows(city, person, InsuranceType.RESIDENT_PENSION)
    balance = ZERO
    paid_years = 0
    last_amount = None
    years = sorted(by_year)
    for year in range(years[0], years[-1] + 1) if years else ():
        rate = rule_for_year(options.interest_rates, year) or ZERO
        balance += to_fen(balance * rate)
        for row in by_year.get(year, []):
            if contributions.is_paid(row):
                balance += row.individual + row.employer
                paid_years += 1
                last_amount = row.individual
    return ResidentFacts(
        years_paid=paid_years,
        balance=balance,
        balance_year=years[-1] if years else today.year - 1,
        last_amount=last_amount,
    )


def resident_choices(city: City, person: Person, facts: ResidentFacts) -> Choices:
    options = options_of(city)
    if options.resident is None:
        raise NotEstimated(
            _("This city's rules give no resident pension amounts to estimate with.")
        )
    age = RetirementAge(options.resident.age * 12)
    return Choices(
        kind="resident",
        sex=person.sex,
        women_original=0,
        ages=[age],
        statutory=age,
        base_index=PERCENT,
        wage_growth=percent(options.wage_growth),
        interest=percent(latest_interest(options)),
        resident_amount=facts.last_amount or options.resident.yearly_amount,
    )


@dataclass(frozen=True)
class ResidentResult:
    estimate: ResidentEstimate
    age: RetirementAge
    minimum_years: int
    interest: Decimal

    @property
    def meets_minimum(self) -> bool:
        return self.estimate.years >= self.minimum_years


def estimate_resident(
    city: City, person: Person, facts: ResidentFacts, values: dict, today: date
) -> ResidentResult:
    options = options_of(city)
    resident = options.resident
    age = RetirementAge(resident.age * 12)
    starts = retirement.retirement_month(person.birth_date, age)
    if starts <= date(today.year, today.month, 1):
        raise NotEstimated(
            _("You have reached the resident pension age; the benefits pages list what is paid.")
        )
    amount = values["resident_amount"]
    first_future = max(facts.balance_year + 1, today.year)
    subsidy = (
        contributions.resident_subsidy(
            city.options("contributions"), InsuranceType.RESIDENT_PENSION, first_future, amount
        )
        or ZERO
    )
    basic = (
        rule_for_year(resident.basic_amount, starts.year)
        or resident.basic_amount[min(resident.basic_amount)]
    )
    interest = values["interest"] / PERCENT
    estimate = calculation.estimate_resident(
        balance_now=facts.balance,
        balance_year=facts.balance_year,
        years_paid=facts.years_paid,
        first_future_year=first_future,
        retirement=starts,
        yearly_amount=amount,
        yearly_subsidy=subsidy,
        interest=interest,
        basic_amount=basic,
    )
    return ResidentResult(
        estimate=estimate, age=age, minimum_years=resident.minimum_years, interest=interest
    )
