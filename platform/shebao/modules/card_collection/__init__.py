"""社保卡信息采集 and 照片采集: the card application form and the ID photo."""

from flask_babel import lazy_gettext as _l

from ...tenancy.modules import FeatureModule, entries
from .options import CardCollectionOptions

NAME = "card_collection"
ENTRIES = entries(
    NAME,
    ("info", _l("Card information collection")),
    ("photo", _l("Card photo collection")),
)

module = FeatureModule(
    name=NAME,
    label=_l("Card collection"),
    package=__name__,
    entries=ENTRIES,
    options=CardCollectionOptions,
    description="Card application form and ID photo upload",
    seeder=".demo:seed_card_collection",
    todo_sources=(".todo:unfinished_collection",),
)
