"""待办事项: the person's unfinished business, each with a link to continue it."""

from flask_babel import lazy_gettext as _l

from ..base import FeatureModule, ModuleOptions, entries
from .views import blueprint

NAME = "todo"
ENTRIES = entries(NAME, ("list", _l("To-do list")))

module = FeatureModule(
    name=NAME,
    label=_l("To-do list"),
    blueprint=blueprint,
    entries=ENTRIES,
    options=ModuleOptions,
    description="Unfinished orders and card collection, each with a link to continue",
)
