"""养老账户查询: the pension personal account, year by year."""

from flask_babel import lazy_gettext as _l

from ..base import FeatureModule, ModuleOptions
from ..planned import entries, planned_blueprint

NAME = "pension_account"
ENTRIES = entries(NAME, ("statement", _l("Pension account")))

module = FeatureModule(
    name=NAME,
    label=_l("Pension account"),
    blueprint=planned_blueprint(NAME, ENTRIES),
    entries=ENTRIES,
    options=ModuleOptions,
    description="Months paid, base, credited amount, interest and balance per year",
)
