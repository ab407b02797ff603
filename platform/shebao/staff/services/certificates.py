"""Certificates at the service hall: find an issued certificate by its serial number, revoke
it with a reason (``revoke_certificate``: the one place a revocation happens, audited; a
message to the resident can be hooked here)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from ...core.extensions import db
from ...modules.printing import services as printing
from ...modules.printing.models import IssuedCertificate
from ...people.models import Person
from ...tenancy.city import City
from ..models import StaffMember
from .auditing import record, require_reason
from .errors import StaffError


def find_certificate(city: City, serial: str) -> tuple[IssuedCertificate, Person]:
    found = printing.certificate_by_serial(city, serial)
    if found is None:
        raise StaffError(
            _("No certificate with this serial number was issued in this city."), "serial"
        )
    person = db.session.scalar(
        select(Person).where(Person.city == city.code, Person.id == found.person_id)
    )
    return found, person


def revoke_certificate(
    city: City, staff: StaffMember, serial: str, reason: str
) -> IssuedCertificate:
    reason = require_reason(reason)
    certificate, person = find_certificate(city, serial)
    if not printing.revoke(city, certificate, reason):
        raise StaffError(_("This certificate has been revoked already."))
    record(
        "certificate_revoked", city, staff, person=person, serial=certificate.serial, reason=reason
    )
    return certificate
