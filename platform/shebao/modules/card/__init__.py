"""社保卡: card information, loss report, processing records, swipe records."""

from flask_babel import lazy_gettext as _l

from ...tenancy.modules import FeatureModule, entries
from .options import CardOptions

NAME = "card"
ENTRIES = entries(
    NAME,
    ("info", _l("Card information")),
    ("report_loss", _l("Report card loss")),
    ("records", _l("Card processing records")),
    ("swipes", _l("Card swipe records")),
)

module = FeatureModule(
    name=NAME,
    label=_l("Social security card"),
    package=__name__,
    entries=ENTRIES,
    options=CardOptions,
    description="Card information, loss report, processing and swipe records",
    seeder=".demo:seed_demo",
    import_kinds={"cards": ".importer:CARDS"},
)
