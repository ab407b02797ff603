"""劳动用工备案: the labour contract filings of a person."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ...core.extensions import db
from ...tenancy.scoping import CityScoped


class LabourFiling(CityScoped, db.Model):
    """One labour contract filed with the labour bureau; a person and employer and start date
    identify it (a re-import updates the filing instead of adding another)."""

    __tablename__ = "labour_filing"
    __table_args__ = (
        UniqueConstraint("person_id", "employer", "start_date"),
        # The person's filings, newest first: one index range scan.
        Index("ix_labour_filing_city_person_start", "city", "person_id", "start_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    employer: Mapped[str] = mapped_column(String(128))
    #: 统一社会信用代码 of the employer.
    credit_code: Mapped[str] = mapped_column(String(18))
    #: A ``ContractType`` code.
    contract_type: Mapped[str] = mapped_column(String(16))
    start_date: Mapped[date] = mapped_column(Date)
    #: Empty for open-ended contracts (and task-based ones without a known end).
    end_date: Mapped[date | None] = mapped_column(Date)
    filing_date: Mapped[date] = mapped_column(Date)
    #: A ``FilingStatus`` code.
    status: Mapped[str] = mapped_column(String(16))
