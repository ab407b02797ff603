"""待办事项: the person's unfinished business, each with a link to continue it."""

from flask_babel import lazy_gettext as _l

from ...tenancy.modules import FeatureModule, ModuleOptions, entries

NAME = "todo"
ENTRIES = entries(NAME, ("list", _l("To-do list")))

module = FeatureModule(
    name=NAME,
    label=_l("To-do list"),
    package=__name__,
    entries=ENTRIES,
    options=ModuleOptions,
    description="Unfinished orders and card collection, each with a link to continue",
)
