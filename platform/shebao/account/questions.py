"""The password-protection questions (密码保护) residents choose from.

An account stores the chosen question as its Chinese text, as accounts always have; pages show
it in the visitor's language through ``question_label``.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

#: Stored question text → its label (English msgid; the Chinese translation is the stored text).
QUESTION_LABELS = {
    "您母亲的姓名是？": _l("What is your mother's name?"),
    "您父亲的姓名是？": _l("What is your father's name?"),
    "您的出生地是？": _l("Where were you born?"),
    "您小学的校名是？": _l("What was the name of your primary school?"),
    "您配偶的姓名是？": _l("What is your spouse's name?"),
    "您最喜欢的一本书是？": _l("What is your favourite book?"),
    "您第一份工作的单位是？": _l("Where did you have your first job?"),
}
SECURITY_QUESTIONS = tuple(QUESTION_LABELS)


def question_label(stored: str) -> str:
    """The question in the visitor's language (a question not in the list stays as stored)."""
    label = QUESTION_LABELS.get(stored)
    return str(label) if label is not None else stored
