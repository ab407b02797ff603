"""公共就业: job postings and job seekers (public information)."""

from flask_babel import lazy_gettext as _l

from ..base import FeatureModule, ModuleOptions, entries
from .demo import seed_demo
from .importer import import_job_postings, import_job_seekers
from .views import NAME, blueprint

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
    blueprint=blueprint,
    entries=ENTRIES,
    options=EmploymentOptions,
    description="Search job postings and job seekers",
    demo_seeder=seed_demo,
    importers={"job_postings": import_job_postings, "job_seekers": import_job_seekers},
)
