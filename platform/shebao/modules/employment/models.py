"""Job postings (招聘信息) and job seekers (求职信息): public information of a city.

Neither is tied to an insured person. ``reference`` is the natural key of a row within its
city (the service hall's number), so a re-imported CSV updates rows instead of adding them.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ...core.db_types import UTCDateTime
from ...core.extensions import db
from ...core.time import utcnow
from ...tenancy.scoping import CityScoped


class JobPosting(CityScoped, db.Model):
    __tablename__ = "job_posting"
    __table_args__ = (
        UniqueConstraint("city", "reference"),
        # The list: a city's postings still valid, newest first.
        Index("ix_job_posting_city_published", "city", "published_on"),
        Index("ix_job_posting_city_valid_until", "city", "valid_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32))
    employer: Mapped[str] = mapped_column(String(128))
    title: Mapped[str] = mapped_column(String(64))
    #: A code of ``vocabulary.OCCUPATIONS``.
    occupation: Mapped[str] = mapped_column(String(32))
    #: Free text (县区), e.g. 滨城区; the search offers the values present in the city's data.
    district: Mapped[str] = mapped_column(String(32))
    #: A code of ``vocabulary.EDUCATION_LEVELS`` (``any`` = 不限).
    education: Mapped[str] = mapped_column(String(24))
    #: Monthly salary range in yuan.
    salary_min: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    salary_max: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    headcount: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")
    #: The employer's public contact number (mobile or landline).
    contact_phone: Mapped[str] = mapped_column(String(20))
    published_on: Mapped[date] = mapped_column(Date)
    #: Last day the posting is shown.
    valid_until: Mapped[date] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<JobPosting {self.city} {self.reference}>"


class JobSeeker(CityScoped, db.Model):
    """A registered job seeker. Name and phone are personal: pages only ever show them masked."""

    __tablename__ = "job_seeker"
    __table_args__ = (
        UniqueConstraint("city", "reference"),
        Index("ix_job_seeker_city_registered", "city", "registered_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(64))
    sex: Mapped[str] = mapped_column(String(1))  # M / F
    birth_year: Mapped[int] = mapped_column(Integer)
    desired_occupation: Mapped[str] = mapped_column(String(32))
    district: Mapped[str] = mapped_column(String(32))
    #: A code of ``vocabulary.SEEKER_EDUCATION_LEVELS``.
    education: Mapped[str] = mapped_column(String(24))
    #: Expected monthly salary in yuan.
    expected_salary: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    phone: Mapped[str] = mapped_column(String(11))
    registered_on: Mapped[date] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:  # never the name or phone
        return f"<JobSeeker {self.city} {self.reference}>"
