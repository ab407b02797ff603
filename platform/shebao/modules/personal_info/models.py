"""中心业务办理进度: a business case handled by the service centre, and its steps."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...core.db_types import UTCDateTime
from ...core.extensions import db
from ...tenancy.scoping import CityScoped


class BusinessCase(CityScoped, db.Model):
    """One piece of business (业务) with its serial number (业务流水号), unique in the city."""

    __tablename__ = "business_case"
    __table_args__ = (
        UniqueConstraint("city", "serial"),
        # The person's recent cases, newest first: one index range scan.
        Index("ix_business_case_city_person_submitted", "city", "person_id", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(20))
    # Indexed on its own too, so deleting a person finds the cases without a table scan.
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    #: A ``CaseKind`` code.
    kind: Mapped[str] = mapped_column(String(32))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: A ``CaseStatus`` code.
    status: Mapped[str] = mapped_column(String(16))

    steps: Mapped[list[BusinessStep]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="BusinessStep.position"
    )


class BusinessStep(CityScoped, db.Model):
    """One step (环节) of a case; ``completed_at`` is empty until the step is done."""

    __tablename__ = "business_step"
    __table_args__ = (UniqueConstraint("case_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("business_case.id", ondelete="CASCADE"))
    #: 1, 2, 3 … in the order the steps are handled.
    position: Mapped[int]
    #: A ``StepName`` code.
    name: Mapped[str] = mapped_column(String(32))
    office: Mapped[str | None] = mapped_column(String(64))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    case: Mapped[BusinessCase] = relationship(back_populates="steps")
