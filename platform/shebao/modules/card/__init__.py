"""社保卡: card information, loss report, processing records, swipe records."""

from flask_babel import lazy_gettext as _l

from ..base import FeatureModule, ModuleOptions, entries
from .demo import seed_demo
from .importer import import_cards
from .views import NAME, blueprint

ENTRIES = entries(
    NAME,
    ("info", _l("Card information")),
    ("report_loss", _l("Report card loss")),
    ("records", _l("Card processing records")),
    ("swipes", _l("Card swipe records")),
)


class CardOptions(ModuleOptions):
    loss_report: bool = True
    """Residents may report their card lost online (挂失)."""
    cancel_loss_report: bool = False
    """Residents may cancel their own loss report online."""

    def entry_enabled(self, key: str) -> bool:
        return key != "report_loss" or self.loss_report


module = FeatureModule(
    name=NAME,
    label=_l("Social security card"),
    blueprint=blueprint,
    entries=ENTRIES,
    options=CardOptions,
    description="Card information, loss report, processing and swipe records",
    demo_seeder=seed_demo,
    importers={"cards": import_cards},
)
