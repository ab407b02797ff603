"""The rules of public employment: what a search may ask for, what a page lists, what is masked.

Functions take the city (and today's date) explicitly; they read through the ORM session, so a
request's reads are also scoped to its city by the platform. Job seekers are listed as
``SeekerListing`` values whose name and phone are already masked: the full values never
leave this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import Select, or_, select

from ...core.extensions import db
from ...core.money import to_fen
from ...people.idnumber import mask_name, mask_phone
from ...tenancy.city import City
from ...web.queries import Page, QueryError, ascii_decimal, paginate, search_text
from .models import JobPosting, JobSeeker
from .vocabulary import EDUCATION_LEVELS, OCCUPATIONS, SEEKER_EDUCATION_LEVELS

PER_PAGE = 10
KEYWORD_LIMIT = 50
MAX_SALARY = Decimal("1000000")


class SearchProblems(Exception):
    """Search fields a user can fix: field name → message."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__("; ".join(problems.values()))


@dataclass(frozen=True)
class JobSearch:
    keyword: str = ""
    occupation: str | None = None
    district: str | None = None
    education: str | None = None
    salary_min: Decimal | None = None
    salary_max: Decimal | None = None


@dataclass(frozen=True)
class SeekerSearch:
    occupation: str | None = None
    district: str | None = None
    education: str | None = None


@dataclass(frozen=True)
class SeekerListing:
    """One job seeker as a page may show them: name and phone masked."""

    name: str
    sex: str
    age: int
    desired_occupation: str
    district: str
    education: str
    expected_salary: Decimal
    phone: str
    registered_on: date


def parse_amount(raw: str) -> Decimal:
    """A salary in yuan (``4500`` or ``4500.50``); raise ValueError with the user's message."""
    amount = ascii_decimal(raw.replace(",", ""), places=2, max_digits=7)
    if amount is None:
        raise ValueError(_("Enter the salary as a number of yuan, for example 4500."))
    amount = to_fen(amount)
    if amount > MAX_SALARY:
        raise ValueError(_("The salary can be at most %(max)s yuan.", max="1,000,000"))
    return amount


def _choice(
    raw: str | None, allowed, message: str, problems: dict[str, str], field: str
) -> str | None:
    value = (raw or "").strip()
    if not value:
        return None
    if value not in allowed:
        problems[field] = message
        return None
    return value


def _common_criteria(
    args: Mapping[str, str], districts: list[str], levels, problems: dict[str, str]
) -> tuple[str | None, str | None, str | None]:
    """Occupation, district and education: the criteria both searches share."""
    occupation = _choice(
        args.get("occupation"),
        {t.code for t in OCCUPATIONS},
        _("Choose an occupation from the list."),
        problems,
        "occupation",
    )
    district = _choice(
        args.get("district"),
        set(districts),
        _("Choose a district from the list."),
        problems,
        "district",
    )
    education = _choice(
        args.get("education"),
        {t.code for t in levels},
        _("Choose an education level from the list."),
        problems,
        "education",
    )
    return occupation, district, education


def parse_job_search(args: Mapping[str, str], districts: list[str]) -> JobSearch:
    """The search a user asked for; raise ``SearchProblems`` naming each bad field."""
    problems: dict[str, str] = {}
    try:
        keyword = search_text(args.get("keyword"), KEYWORD_LIMIT)
    except QueryError as error:
        problems["keyword"] = str(error)
        keyword = ""
    occupation, district, education = _common_criteria(args, districts, EDUCATION_LEVELS, problems)
    salaries: dict[str, Decimal | None] = {}
    for field in ("salary_min", "salary_max"):
        raw = (args.get(field) or "").strip()
        salaries[field] = None
        if raw:
            try:
                salaries[field] = parse_amount(raw)
            except ValueError as error:
                problems[field] = str(error)
    low, high = salaries["salary_min"], salaries["salary_max"]
    if low is not None and high is not None and high < low:
        problems["salary_max"] = _("The highest salary cannot be lower than the lowest salary.")
    if problems:
        raise SearchProblems(problems)
    return JobSearch(keyword, occupation, district, education, low, high)


def parse_seeker_search(args: Mapping[str, str], districts: list[str]) -> SeekerSearch:
    problems: dict[str, str] = {}
    occupation, district, education = _common_criteria(
        args, districts, SEEKER_EDUCATION_LEVELS, problems
    )
    if problems:
        raise SearchProblems(problems)
    return SeekerSearch(occupation, district, education)


def _open_postings(city: City, today: date) -> Select:
    return select(JobPosting).where(JobPosting.city == city.code, JobPosting.valid_until >= today)


def job_districts(city: City, today: date) -> list[str]:
    """Districts of the city's open postings, for the search's list."""
    statement = _open_postings(city, today).with_only_columns(JobPosting.district).distinct()
    return sorted(db.session.scalars(statement).all())


def seeker_districts(city: City) -> list[str]:
    statement = select(JobSeeker.district).where(JobSeeker.city == city.code).distinct()
    return sorted(db.session.scalars(statement).all())


def search_jobs(
    city: City, search: JobSearch, today: date, page: int, per_page: int = PER_PAGE
) -> Page:
    """Postings still open on ``today`` that match, newest first (a page of ``JobPosting``)."""
    statement = _open_postings(city, today)
    if search.keyword:
        statement = statement.where(
            or_(
                JobPosting.title.icontains(search.keyword, autoescape=True),
                JobPosting.employer.icontains(search.keyword, autoescape=True),
                JobPosting.description.icontains(search.keyword, autoescape=True),
            )
        )
    if search.occupation:
        statement = statement.where(JobPosting.occupation == search.occupation)
    if search.district:
        statement = statement.where(JobPosting.district == search.district)
    if search.education:
        statement = statement.where(JobPosting.education == search.education)
    # A posting matches a salary range when the two ranges overlap.
    if search.salary_min is not None:
        statement = statement.where(JobPosting.salary_max >= search.salary_min)
    if search.salary_max is not None:
        statement = statement.where(JobPosting.salary_min <= search.salary_max)
    statement = statement.order_by(JobPosting.published_on.desc(), JobPosting.id.desc())
    return paginate(statement, page, per_page)


def search_seekers(
    city: City, search: SeekerSearch, today: date, page: int, per_page: int = PER_PAGE
) -> Page:
    """Matching job seekers, newest registration first (a page of masked ``SeekerListing``)."""
    statement = select(JobSeeker).where(JobSeeker.city == city.code)
    if search.occupation:
        statement = statement.where(JobSeeker.desired_occupation == search.occupation)
    if search.district:
        statement = statement.where(JobSeeker.district == search.district)
    if search.education:
        statement = statement.where(JobSeeker.education == search.education)
    statement = statement.order_by(JobSeeker.registered_on.desc(), JobSeeker.id.desc())
    found = paginate(statement, page, per_page)
    listings = [listing(seeker, today) for seeker in found.items]
    return Page(items=listings, number=found.number, per_page=found.per_page, total=found.total)


def listing(seeker: JobSeeker, today: date) -> SeekerListing:
    return SeekerListing(
        name=mask_name(seeker.name),
        sex=seeker.sex,
        age=today.year - seeker.birth_year,
        desired_occupation=seeker.desired_occupation,
        district=seeker.district,
        education=seeker.education,
        expected_salary=seeker.expected_salary,
        phone=mask_phone(seeker.phone),
        registered_on=seeker.registered_on,
    )
