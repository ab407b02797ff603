"""人员基本信息 / 个人信息: basic insured information and business progress."""

from flask_babel import lazy_gettext as _l

from ...tenancy.modules import FeatureModule, entries
from .options import PersonalInfoOptions

NAME = "personal_info"
ENTRIES = entries(
    NAME,
    ("basic", _l("Personal insured information")),
    ("progress", _l("Business progress")),
)

module = FeatureModule(
    name=NAME,
    label=_l("Personal information"),
    package=__name__,
    entries=ENTRIES,
    options=PersonalInfoOptions,
    description="Basic insured information; business progress by serial number",
    seeder=".demo:seed_business_cases",
    import_kinds={"business_cases": ".importer:BUSINESS_CASES"},
)
