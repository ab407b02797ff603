"""劳动关系: labour employment filing records (劳动用工备案)."""

from flask_babel import lazy_gettext as _l

from ...tenancy.modules import FeatureModule, ModuleOptions, entries

NAME = "labour"
ENTRIES = entries(NAME, ("filings", _l("Labour contract filings")))

module = FeatureModule(
    name=NAME,
    label=_l("Labour relations"),
    package=__name__,
    entries=ENTRIES,
    options=ModuleOptions,
    description="The person's labour employment filings",
    seeder=".demo:seed_labour_filings",
    import_kinds={"labour_filings": ".importer:LABOUR_FILINGS"},
)
