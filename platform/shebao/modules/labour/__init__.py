"""劳动关系: labour employment filing records (劳动用工备案)."""

from flask_babel import lazy_gettext as _l

from ..base import FeatureModule, ModuleOptions, entries
from .demo import seed_labour_filings
from .importer import import_labour_filings
from .views import blueprint

NAME = "labour"
ENTRIES = entries(NAME, ("filings", _l("Labour contract filings")))

module = FeatureModule(
    name=NAME,
    label=_l("Labour relations"),
    blueprint=blueprint,
    entries=ENTRIES,
    options=ModuleOptions,
    description="The person's labour employment filings",
    demo_seeder=seed_labour_filings,
    importers={"labour_filings": import_labour_filings},
)
