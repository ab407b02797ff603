"""缴费历史 / 社会保险: contribution history per insurance type.

One page per insurance type (``contributions.<type>``; the city's ``types`` option decides
which exist): a year at a time, paged, with the year's totals. The pension page adds a
chart of every year and a link to the pension personal account when the city has it.
"""

from flask_babel import lazy_gettext as _l

from ...people.insurance import InsuranceType
from ...tenancy.modules import FeatureModule, entries
from .options import ContributionsOptions

NAME = "contributions"
ENTRIES = entries(
    NAME,
    *((kind.value, kind.label) for kind in InsuranceType),
)

module = FeatureModule(
    name=NAME,
    label=_l("Contribution history"),
    package=__name__,
    entries=ENTRIES,
    options=ContributionsOptions,
    description="Month-by-month contributions per insurance type, by year, paged",
    seeder=".seed:seed_contributions",
    import_kinds={"contributions": ".importer:CONTRIBUTIONS"},
)
