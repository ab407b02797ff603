"""养老金测算: an estimate of the monthly pension, from the records and stated assumptions.

Employees and flexible workers: basic pension + personal-account pension (+ transitional
pension where the city defines deemed years) per 国发〔2005〕38号, retiring at the age the
2025 gradual reform sets (or a flexible age the resident chooses). Residents (城乡居民): the
city's basic amount + the resident account ÷ 139. Nothing is stored; the page says it is an
estimate, not a decision.
"""

from flask_babel import lazy_gettext as _l

from ...tenancy.modules import FeatureModule, entries
from .options import PensionEstimateOptions

NAME = "pension_estimate"
ENTRIES = entries(NAME, ("estimate", _l("Pension estimate")))

module = FeatureModule(
    name=NAME,
    label=_l("Pension estimate"),
    package=__name__,
    entries=ENTRIES,
    options=PensionEstimateOptions,
    description="An estimate of the monthly pension from the records, under stated assumptions",
)
