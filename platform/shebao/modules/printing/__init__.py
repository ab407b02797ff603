"""打印业务: verifiable certificates as PDF."""

from flask_babel import lazy_gettext as _l

from ...tenancy.modules import FeatureModule, entries
from .options import PrintingOptions

NAME = "printing"
ENTRIES = entries(
    NAME,
    ("contribution_certificate", _l("Contribution certificate")),
    ("pension_income", _l("Pension income certificate")),
    ("rights_record", _l("Personal rights record")),
    ("account_statement", _l("Pension account statement")),
)

module = FeatureModule(
    name=NAME,
    label=_l("Printing"),
    package=__name__,
    entries=ENTRIES,
    options=PrintingOptions,
    description="Certificates as PDF with a verification code",
    public_endpoints=frozenset({f"{NAME}.verify"}),
)
