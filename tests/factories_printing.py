"""Factories of the printing module's city-owned models (for the isolation test)."""

from __future__ import annotations

from datetime import UTC, datetime

from shebao.core.extensions import db
from shebao.modules.printing.issuing import content_hash, hash_code
from shebao.modules.printing.models import IssuedCertificate


def issued_certificate(city: str, seq: int = 1, **values) -> IssuedCertificate:
    """A certificate of ``city``; ``code=`` chooses its verification code."""
    from tests.factories import person

    owner = values.pop("person", None) or person(city, seq)
    code = values.pop("code", f"{city}-code-{seq:020d}")
    issued_at = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    serial = f"{city[:2].upper()}T{seq:010d}"
    content = {"name": owner.name, "id_number": owner.id_number, "period": "2024", "totals": []}
    row = IssuedCertificate(
        city=city,
        person_id=owner.id,
        kind="contribution_certificate",
        parameters={"year": 2024},
        serial=serial,
        code_hash=hash_code(code),
        content=content,
        content_hash=content_hash("contribution_certificate", serial, issued_at, content),
        issued_at=issued_at,
    )
    db.session.add(row)
    db.session.flush()
    return row


FACTORIES: dict = {IssuedCertificate: issued_certificate}
