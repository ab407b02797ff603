"""养老账户查询: the pension personal account, year by year.

Derived from the person's employee pension contributions (the contributions module's
records): months paid, average base, the individual part credited, interest on the start
balance at the year's rate (``interest_rates``), and the year-end balance.
"""

from flask_babel import lazy_gettext as _l

from ...tenancy.modules import FeatureModule, entries
from .options import PensionAccountOptions

NAME = "pension_account"
ENTRIES = entries(NAME, ("statement", _l("Pension account")))

module = FeatureModule(
    name=NAME,
    label=_l("Pension account"),
    package=__name__,
    entries=ENTRIES,
    options=PensionAccountOptions,
    description="Months paid, base, credited amount, interest and balance per year",
)
