"""``shebao import --kind job_postings`` and ``--kind job_seekers``, keyed by ``reference``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, ClassVar

from pydantic import model_validator

from ...core.importing import ImportKind, ImportRow, RowProblem, Upsert
from ...core.importing.columns import MOBILE, Cell, Choice, Date, Pattern, Text, Whole
from ...core.money import to_fen
from ...core.time import local_today
from ...people.importing import SEX
from .models import JobPosting, JobSeeker
from .services import MAX_SALARY
from .vocabulary import EDUCATION_LEVELS, OCCUPATIONS, SEEKER_EDUCATION_LEVELS


@dataclass(frozen=True)
class Salary(Cell):
    """Monthly yuan, rounded half up to the fen; thousands may be separated by commas."""

    kind: ClassVar[str] = "amount"

    def parse(self, text: str) -> Decimal:
        try:
            amount = Decimal(text.replace(",", ""))
        except InvalidOperation:
            raise ValueError(f"{text!r} is not an amount in yuan") from None
        if not amount.is_finite() or amount < 0 or amount > MAX_SALARY:
            raise ValueError(f"must be an amount from 0 to {MAX_SALARY} yuan")
        return to_fen(amount)

    def rule(self) -> str:
        return f"monthly yuan, 0 to {MAX_SALARY}, rounded to the fen"


def terms(vocabulary: Sequence[Any]) -> Choice:
    return Choice({term.code: (term.chinese,) for term in vocabulary}, names_in_message=True)


REFERENCE = Pattern(r"[A-Za-z0-9_-]{1,32}", "must be 1 to 32 letters, digits, - or _")
PHONE = Pattern(
    r"1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}",
    "must be an 11-digit mobile number or a landline such as 0543-3161234",
    kind="phone",
)
OCCUPATION = terms(OCCUPATIONS)


class PostingRow(ImportRow):
    """Job postings of the public employment service, one row each, keyed by `reference`.
    Occupations and education levels may be given as the code or the Chinese name."""

    reference: Annotated[str, REFERENCE]
    """The posting's key in the city: a known reference updates the posting."""
    employer: Annotated[str, Text(128)]
    """The employer's name."""
    title: Annotated[str, Text(64)]
    """The job's title."""
    occupation: Annotated[str, OCCUPATION]
    """The occupation category."""
    district: Annotated[str, Text(32)]
    """Where the work is (a district or county of the city)."""
    education: Annotated[str, terms(EDUCATION_LEVELS)]
    """The education the job asks for."""
    salary_min: Annotated[Decimal, Salary()]
    """The lowest monthly salary offered."""
    salary_max: Annotated[Decimal, Salary()]
    """The highest monthly salary offered; not lower than salary_min."""
    headcount: Annotated[int, Whole(1, 10000)]
    """How many people the employer is hiring."""
    contact_phone: Annotated[str, PHONE]
    """The number applicants call."""
    published_on: Annotated[date, Date()]
    """The day the posting was published."""
    valid_until: Annotated[date, Date()]
    """The last day the posting is open; not before published_on."""
    description: Annotated[str, Text(2000)] = ""
    """What the job involves and offers."""

    @model_validator(mode="after")
    def _ranges(self) -> PostingRow:
        problems = []
        if self.salary_max < self.salary_min:
            problems.append(("salary_max", "must not be lower than salary_min"))
        if self.valid_until < self.published_on:
            problems.append(("valid_until", "must not be before published_on"))
        if problems:
            raise RowProblem(*problems)
        return self


def youngest_birth_year() -> int:
    return local_today().year - 14


class SeekerRow(ImportRow):
    """Registered job seekers, one row each, keyed by `reference`. Occupations and education
    levels may be given as the code or the Chinese name."""

    reference: Annotated[str, REFERENCE]
    """The seeker's key in the city: a known reference updates the seeker."""
    name: Annotated[str, Text(64)]
    """The seeker's name."""
    sex: Annotated[str, SEX]
    """The seeker's sex."""
    birth_year: Annotated[int, Whole(1930, youngest_birth_year, "this year − 14")]
    """The year of birth: job seekers are at least 14."""
    desired_occupation: Annotated[str, OCCUPATION]
    """The occupation category the seeker looks for."""
    district: Annotated[str, Text(32)]
    """Where the seeker wants to work (a district or county of the city)."""
    education: Annotated[str, terms(SEEKER_EDUCATION_LEVELS)]
    """The seeker's highest education."""
    expected_salary: Annotated[Decimal, Salary()]
    """The monthly salary the seeker expects."""
    phone: Annotated[str, MOBILE]
    """The seeker's mobile number."""
    registered_on: Annotated[date, Date()]
    """The day the seeker registered with the employment service."""


JOB_POSTINGS = ImportKind(
    name="job_postings",
    row=PostingRow,
    key=("reference",),
    write=Upsert(JobPosting, key=("city", "reference")),
)
JOB_SEEKERS = ImportKind(
    name="job_seekers",
    row=SeekerRow,
    key=("reference",),
    write=Upsert(JobSeeker, key=("city", "reference")),
)
