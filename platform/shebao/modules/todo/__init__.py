"""待办事项: the person's unfinished business, each with a link to continue it."""

from flask_babel import lazy_gettext as _l

from ..base import FeatureModule, ModuleOptions
from ..planned import entries, planned_blueprint

NAME = "todo"
ENTRIES = entries(NAME, ("list", _l("To-do list")))

module = FeatureModule(
    name=NAME,
    label=_l("To-do list"),
    blueprint=planned_blueprint(NAME, ENTRIES),
    entries=ENTRIES,
    options=ModuleOptions,
    description="Unfinished orders and card collection, each with a link to continue",
)
