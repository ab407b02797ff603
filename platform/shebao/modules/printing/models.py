"""Issued certificates (打印业务): every PDF printed is recorded so it can be verified later."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ...core.db_types import UTCDateTime
from ...core.extensions import db
from ...core.time import utcnow
from ...tenancy.scoping import CityScoped


class IssuedCertificate(CityScoped, db.Model):
    """One printed certificate.

    ``code_hash`` is the SHA-256 of the verification code printed on the document (the code
    itself is never stored, so a copy of the table cannot be used to forge a document's
    link); ``content`` is a frozen copy of what the document showed (name, ID number, period,
    totals, tables), so the verify page answers the same even after the records change;
    ``content_hash`` is the SHA-256 of kind, serial, issue time and content, checked on
    verification so an altered row is not confirmed.
    """

    __tablename__ = "issued_certificate"
    __table_args__ = (
        # The person's certificates, newest last (history, audits).
        Index("ix_issued_certificate_city_person_issued", "city", "person_id", "issued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    #: contribution_certificate, pension_income, rights_record or account_statement.
    kind: Mapped[str] = mapped_column(String(32))
    #: The conditions chosen (e.g. {"year": 2024}).
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    serial: Mapped[str] = mapped_column(String(32), unique=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: Withdrawn by the service hall: the verify page then says so, never "genuine".
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoke_reason: Mapped[str | None] = mapped_column(String(200))
