"""Insured persons: the person's key within a city is the resident ID number."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db_types import UTCDateTime
from ..core.extensions import db
from ..core.time import utcnow
from ..tenancy.scoping import CityScoped


class Person(CityScoped, db.Model):
    __tablename__ = "person"
    __table_args__ = (UniqueConstraint("city", "id_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    id_number: Mapped[str] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(64))
    sex: Mapped[str] = mapped_column(String(1))  # M / F
    birth_date: Mapped[date] = mapped_column(Date)
    phone: Mapped[str | None] = mapped_column(String(11))
    card_number: Mapped[str | None] = mapped_column(String(32))
    #: 人员类别: employee, retiree, flexible, resident …
    category: Mapped[str] = mapped_column(String(32))
    employer: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    insurances: Mapped[list[PersonInsurance]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonInsurance.id"
    )

    def __repr__(self) -> str:  # never the full ID number
        from .idnumber import mask_id_number

        return f"<Person {self.city} {mask_id_number(self.id_number)}>"


class PersonInsurance(CityScoped, db.Model):
    """The person's insured status for one insurance type."""

    __tablename__ = "person_insurance"
    __table_args__ = (
        UniqueConstraint("person_id", "insurance_type"),
        Index("ix_person_insurance_city_type_status", "city", "insurance_type", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    insurance_type: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(16))
    first_insured: Mapped[date | None] = mapped_column(Date)

    person: Mapped[Person] = relationship(back_populates="insurances")
