"""人员基本信息 / 个人信息: basic insured information and business progress."""

from flask_babel import lazy_gettext as _l

from ..base import FeatureModule, ModuleOptions, entries
from .demo import seed_business_cases
from .importer import import_business_cases
from .views import blueprint

NAME = "personal_info"
ENTRIES = entries(
    NAME,
    ("basic", _l("Personal insured information")),
    ("progress", _l("Business progress")),
)


class PersonalInfoOptions(ModuleOptions):
    business_progress: bool = True
    """Offer 中心业务办理进度 (look up a business serial number)."""

    def entry_enabled(self, key: str) -> bool:
        return key != "progress" or self.business_progress


module = FeatureModule(
    name=NAME,
    label=_l("Personal information"),
    blueprint=blueprint,
    entries=ENTRIES,
    options=PersonalInfoOptions,
    description="Basic insured information; business progress by serial number",
    demo_seeder=seed_business_cases,
    importers={"business_cases": import_business_cases},
)
