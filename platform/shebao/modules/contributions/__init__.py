"""缴费历史 / 社会保险: contribution history per insurance type.

One page per insurance type (``contributions.<type>``; the city's ``types`` option decides
which exist): a year at a time, paged, with the year's totals. The pension page adds a
chart of every year and a link to the pension personal account when the city has it.
"""

from flask_babel import lazy_gettext as _l

from ...insurance import InsuranceType
from ..base import FeatureModule, entries
from .importer import import_contributions
from .options import ContributionsOptions, ContributionYear, RateSplit
from .seed import seed_contributions
from .views import NAME, blueprint

__all__ = ["ContributionYear", "ContributionsOptions", "RateSplit", "module"]

ENTRIES = entries(
    NAME,
    *((kind.value, kind.label) for kind in InsuranceType),
)

module = FeatureModule(
    name=NAME,
    label=_l("Contribution history"),
    blueprint=blueprint,
    entries=ENTRIES,
    options=ContributionsOptions,
    description="Month-by-month contributions per insurance type, by year, paged",
    demo_seeder=seed_contributions,
    importers={"contributions": import_contributions},
)
