"""待遇享受 / 社保待遇: benefit payments by year or year-month."""

from typing import Annotated, Literal

from flask_babel import lazy_gettext as _l
from pydantic import Field

from ..base import FeatureModule, ModuleOptions, entries
from .demo import seed_demo
from .importer import import_benefits
from .views import NAME, blueprint

ENTRIES = entries(
    NAME,
    ("pension", _l("Retirement pension")),
    ("unemployment", _l("Unemployment benefit")),
    ("work_injury", _l("Work injury benefit")),
    ("maternity", _l("Maternity benefit")),
    ("medical", _l("Medical reimbursement")),
)

BenefitType = Literal["pension", "unemployment", "work_injury", "maternity", "medical"]


class BenefitsOptions(ModuleOptions):
    types: Annotated[list[BenefitType], Field(min_length=1)] = [
        "pension",
        "unemployment",
        "work_injury",
        "maternity",
        "medical",
    ]
    """Benefit types this city shows, each one a menu page."""

    def entry_enabled(self, key: str) -> bool:
        return key in self.types


module = FeatureModule(
    name=NAME,
    label=_l("Benefits"),
    blueprint=blueprint,
    entries=ENTRIES,
    options=BenefitsOptions,
    description="Pension, unemployment, work injury, maternity and medical payments",
    demo_seeder=seed_demo,
    importers={"benefits": import_benefits},
)
