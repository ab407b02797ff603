"""Issuing a certificate and verifying it later.

Issuing records an ``IssuedCertificate`` (a frozen copy of what the document says, a hash of
its verification code, a hash of its content) and renders the PDF with the same content, a
serial number and the code. Verifying finds the record by the code's hash, in the city asked,
and confirms it only while its content still matches the content hash.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, update

from ...core.extensions import db
from ...core.i18n import label_text
from ...core.time import local_minute, to_local, utcnow
from ...documents.pdf import Document, Labels, render_pdf
from ...messages.kinds import MessageKind
from ...messages.services import post_message
from ...people.idnumber import mask_id_number, mask_name
from ...people.models import Person
from ...tenancy.city import City
from .certificates.common import TOTAL_LABELS, Certificate
from .models import IssuedCertificate

#: Verification codes: secrets.token_urlsafe(24), 192 bits, 32 characters.
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def content_hash(kind: str, serial: str, issued_at: datetime, content: dict) -> str:
    canonical = json.dumps(
        {"kind": kind, "serial": serial, "issued_at": issued_at.isoformat(), "content": content},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def frozen_copy(person: Person, certificate: Certificate) -> dict:
    """What the verify page shows later, whatever happens to the records meanwhile."""
    return {
        "name": person.name,
        "id_number": person.id_number,
        "period": certificate.period,
        "totals": [list(pair) for pair in certificate.totals],
    }


@dataclass(frozen=True)
class Issued:
    record: IssuedCertificate
    code: str
    pdf: bytes


def _page_labels() -> Labels:
    return Labels(
        serial=_("Serial number"),
        page=_("Page {page} of {pages}"),
        code=_("Verification code"),
        verify=_("Check this document at"),
        issued_on=_("Date of issue"),
        issuer=_("Issued by"),
    )


def issue(city: City, person: Person, certificate: Certificate, title: str, host: str) -> Issued:
    """Record the certificate and render its PDF (in the caller's unit of work)."""
    issued_at = utcnow().replace(microsecond=0)
    issued_on = to_local(issued_at).date()
    serial = f"{city.code[:2].upper()}{issued_on:%Y%m%d}{secrets.token_hex(5).upper()}"
    code = secrets.token_urlsafe(24)
    content = frozen_copy(person, certificate)
    record = IssuedCertificate(
        city=city.code,
        person_id=person.id,
        kind=certificate.kind,
        parameters=certificate.parameters,
        serial=serial,
        code_hash=hash_code(code),
        content=content,
        content_hash=content_hash(certificate.kind, serial, issued_at, content),
        issued_at=issued_at,
    )
    db.session.add(record)
    db.session.flush()
    totals = [f"{TOTAL_LABELS[key]}: {value}" for key, value in certificate.totals]
    document = Document(
        title=title,
        issuer=label_text(city.options("printing").issuing_office),
        serial=serial,
        code=code,
        verify_url=f"https://{host}/verify/{code}",
        issued_on=issued_on.isoformat(),
        facts=(
            *certificate.facts,
            (_("Period"), certificate.period),
            (_("Date of issue"), issued_on.isoformat()),
        ),
        sections=(*certificate.tables, *totals),
        labels=_page_labels(),
    )
    return Issued(record=record, code=code, pdf=render_pdf(document))


@dataclass(frozen=True)
class Verified:
    record: IssuedCertificate
    masked_name: str
    masked_id_number: str
    period: str
    issued_on: str
    totals: list[tuple[str, str]]
    #: When it was revoked (shown in local time), or None while it stands.
    revoked_on: str | None = None


def verify(city: City, code: str) -> Verified | None:
    """The certificate of ``city`` this code was printed on, or None when the code is
    unknown (here), malformed, or the record no longer matches its content hash."""
    if not code or not CODE_PATTERN.match(code):
        return None
    record = db.session.scalar(
        select(IssuedCertificate).where(
            IssuedCertificate.city == city.code, IssuedCertificate.code_hash == hash_code(code)
        )
    )
    if record is None:
        return None
    issued_at = record.issued_at.replace(microsecond=0)
    expected = content_hash(record.kind, record.serial, issued_at, record.content)
    if not secrets.compare_digest(expected, record.content_hash):
        return None
    content = record.content
    return Verified(
        record=record,
        masked_name=mask_name(content["name"]),
        masked_id_number=mask_id_number(content["id_number"]),
        period=content["period"],
        issued_on=local_minute(issued_at),
        totals=[
            (str(TOTAL_LABELS.get(key, key)), value) for key, value in content.get("totals", [])
        ],
        revoked_on=local_minute(record.revoked_at) if record.revoked_at else None,
    )


def tell_revoked(city: City, certificate: IssuedCertificate, reason: str) -> int | None:
    """Tell the resident that ``certificate`` was revoked (消息中心), once per certificate.

    For the revocation to call in its unit of work when it is built; the message links to
    the page where the same kind of certificate is printed again.
    """
    return post_message(
        city,
        certificate.person_id,
        MessageKind.CERTIFICATE_REVOKED,
        params={"serial": certificate.serial, "reason": reason.strip()[:200]},
        link=(f"printing.{certificate.kind}", {}),
        dedupe_key=f"certificate:{certificate.serial}:revoked",
    )


def certificate_by_serial(city: City, serial: str) -> IssuedCertificate | None:
    return db.session.scalar(
        select(IssuedCertificate).where(
            IssuedCertificate.city == city.code,
            IssuedCertificate.serial == (serial or "").strip().upper()[:32],
        )
    )


def revoke(city: City, record: IssuedCertificate, reason: str) -> bool:
    """Withdraw an issued certificate (the verify page then says so); False when it was
    revoked already (also by someone else at the same moment: a conditional UPDATE)."""
    revoked = db.session.execute(
        update(IssuedCertificate)
        .where(
            IssuedCertificate.id == record.id,
            IssuedCertificate.city == city.code,
            IssuedCertificate.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow().replace(microsecond=0), revoke_reason=reason[:200])
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(record)
    if revoked == 1:
        tell_revoked(city, record, reason)
    return revoked == 1
