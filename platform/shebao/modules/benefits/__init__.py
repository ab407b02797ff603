"""待遇享受 / 社保待遇: benefit payments by year or year-month."""

from flask_babel import lazy_gettext as _l

from ...tenancy.modules import FeatureModule, entries
from .options import BenefitsOptions

NAME = "benefits"
ENTRIES = entries(
    NAME,
    ("pension", _l("Retirement pension")),
    ("unemployment", _l("Unemployment benefit")),
    ("work_injury", _l("Work injury benefit")),
    ("maternity", _l("Maternity benefit")),
    ("medical", _l("Medical reimbursement")),
)

module = FeatureModule(
    name=NAME,
    label=_l("Benefits"),
    package=__name__,
    entries=ENTRIES,
    options=BenefitsOptions,
    description="Pension, unemployment, work injury, maternity and medical payments",
    seeder=".demo:seed_demo",
    import_kinds={"benefits": ".importer:BENEFITS"},
)
