"""公共就业: job postings and job seekers (public information)."""

from flask_babel import lazy_gettext as _l

from ..base import FeatureModule, ModuleOptions
from ..planned import entries, planned_blueprint

NAME = "employment"
ENTRIES = entries(
    NAME,
    ("jobs", _l("Job postings"), True),
    ("seekers", _l("Job seekers"), True),
)


class EmploymentOptions(ModuleOptions):
    public: bool = True
    """Reachable without logging in."""

    def entries_public(self) -> bool:
        return self.public


module = FeatureModule(
    name=NAME,
    label=_l("Public employment"),
    blueprint=planned_blueprint(NAME, ENTRIES),
    entries=ENTRIES,
    options=EmploymentOptions,
    description="Search job postings and job seekers",
)
