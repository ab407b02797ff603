"""打印业务: the four certificates' content from the records, issuing one as a PDF, and
verifying a printed code.

A certificate is built from the conditions chosen (``args``: the query string on screen, the
form when printing) by its kind's builder in ``certificates/``; ``issuing`` records and
renders it, and verifies it later. Services never commit: the view ends the unit of work.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ...people.models import Person
from ...tenancy.city import City
from .certificates import account_statement, contribution, pension_income, rights_record
from .certificates.common import TOTAL_LABELS, Certificate, NotAvailable, NothingToCertify
from .issuing import Issued, Verified, certificate_by_serial, issue, revoke, verify

__all__ = [
    "BUILDERS",
    "TOTAL_LABELS",
    "Certificate",
    "Issued",
    "NotAvailable",
    "NothingToCertify",
    "Verified",
    "build",
    "certificate_by_serial",
    "issue",
    "revoke",
    "verify",
]

Builder = Callable[[City, Person, Mapping[str, str]], Certificate]

#: Certificate kind (the ``certificates`` option, the menu entry's key) → its builder.
BUILDERS: dict[str, Builder] = {
    contribution.KIND: contribution.build,
    pension_income.KIND: pension_income.build,
    rights_record.KIND: rights_record.build,
    account_statement.KIND: account_statement.build,
}


def build(city: City, person: Person, kind: str, args: Mapping[str, str]) -> Certificate:
    """The certificate's content; raises ``QueryError`` (bad conditions) or
    ``NothingToCertify`` (no records / not for this person)."""
    return BUILDERS[kind](city, person, args)
