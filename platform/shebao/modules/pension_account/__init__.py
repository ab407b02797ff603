"""养老账户查询: the pension personal account, year by year.

Derived from the person's employee pension contributions (the contributions module's
records): months paid, average base, the individual part credited, interest on the start
balance at the year's rate (``interest_rates``), and the year-end balance.
"""

from flask_babel import lazy_gettext as _l

from ..base import FeatureModule, entries
from .options import PensionAccountOptions
from .views import NAME, blueprint

__all__ = ["PensionAccountOptions", "module"]

ENTRIES = entries(NAME, ("statement", _l("Pension account")))

module = FeatureModule(
    name=NAME,
    label=_l("Pension account"),
    blueprint=blueprint,
    entries=ENTRIES,
    options=PensionAccountOptions,
    description="Months paid, base, credited amount, interest and balance per year",
)
