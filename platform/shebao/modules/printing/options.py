"""The ``modules.printing`` section of a city's YAML."""

from typing import Annotated, Literal

from pydantic import Field

from ...tenancy.modules import ModuleOptions
from ...tenancy.types import Label

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
