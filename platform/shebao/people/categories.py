"""Personnel categories (人员类别)."""

from flask_babel import lazy_gettext as _l

CATEGORIES = {
    "employee": _l("Employee"),
    "retiree": _l("Retiree"),
    "flexible": _l("Flexible employment"),
    "resident": _l("Urban and rural resident"),
}
SEXES = {"M": _l("Male"), "F": _l("Female")}
