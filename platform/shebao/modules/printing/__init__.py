"""打印业务: verifiable certificates as PDF."""

from typing import Annotated, Literal

from flask_babel import lazy_gettext as _l
from pydantic import Field

from ...tenancy.types import Label
from ..base import FeatureModule, ModuleOptions, entries
from .views import NAME, blueprint

ENTRIES = entries(
    NAME,
    ("contribution_certificate", _l("Contribution certificate")),
    ("pension_income", _l("Pension income certificate")),
    ("rights_record", _l("Personal rights record")),
    ("account_statement", _l("Pension account statement")),
)

Certificate = Literal[
    "contribution_certificate", "pension_income", "rights_record", "account_statement"
]


class PrintingOptions(ModuleOptions):
    issuing_office: Label
    """The office named as issuer on every certificate."""
    certificates: Annotated[list[Certificate], Field(min_length=1)] = [
        "contribution_certificate",
        "pension_income",
        "rights_record",
        "account_statement",
    ]
    """Certificates this city offers, each one a menu page."""

    def entry_enabled(self, key: str) -> bool:
        return key in self.certificates


module = FeatureModule(
    name=NAME,
    label=_l("Printing"),
    blueprint=blueprint,
    entries=ENTRIES,
    options=PrintingOptions,
    description="Certificates as PDF with a verification code",
    public_endpoints=frozenset({f"{NAME}.verify"}),
)
