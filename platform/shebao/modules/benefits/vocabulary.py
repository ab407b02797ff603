"""Benefit types and the names of payment items, with their labels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

PENSION = "pension"
BENEFIT_TYPES = ("pension", "unemployment", "work_injury", "maternity", "medical")

#: The sentence a page shows when the person has no payment of that type at all.
NONE_ON_RECORD = {
    "pension": _l("You have no retirement pension payments on record."),
    "unemployment": _l("You have no unemployment benefit payments on record."),
    "work_injury": _l("You have no work injury benefit payments on record."),
    "maternity": _l("You have no maternity benefit payments on record."),
    "medical": _l("You have no medical reimbursements on record."),
}

#: Item names as benefit offices record them → a label in the user's language. Names not
#: listed (a city's own items) are shown as recorded.
ITEM_LABELS = {
    "基本养老金": _l("Basic pension"),
    "过渡性养老金": _l("Transitional pension"),
    "调整金": _l("Pension adjustment"),
    "失业保险金": _l("Unemployment insurance benefit"),
    "医疗补助金": _l("Medical subsidy"),
    "伤残津贴": _l("Disability allowance"),
    "一次性伤残补助金": _l("One-off disability grant"),
    "工伤医疗费": _l("Work injury medical costs"),
    "生育津贴": _l("Maternity allowance"),
    "生育医疗费": _l("Maternity medical costs"),
    "统筹支付": _l("Paid by the pooled fund"),
    "大病保险支付": _l("Paid by critical illness insurance"),
}


def item_label(name: str) -> str:
    label = ITEM_LABELS.get(name)
    return str(label) if label is not None else name
