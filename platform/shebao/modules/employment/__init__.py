"""公共就业: job postings and job seekers (public information)."""

from flask_babel import lazy_gettext as _l

from ...tenancy.modules import FeatureModule, entries
from .options import EmploymentOptions

NAME = "employment"
ENTRIES = entries(
    NAME,
    ("jobs", _l("Job postings"), True),
    ("seekers", _l("Job seekers"), True),
)

module = FeatureModule(
    name=NAME,
    label=_l("Public employment"),
    package=__name__,
    entries=ENTRIES,
    options=EmploymentOptions,
    description="Search job postings and job seekers",
    seeder=".demo:seed_demo",
    import_kinds={
        "job_postings": ".importer:JOB_POSTINGS",
        "job_seekers": ".importer:JOB_SEEKERS",
    },
)
