"""The business progress lookup: one field, 业务流水号, sent by GET like every query form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, SubmitField

from ...web.forms import Form

#: Longer input is not kept in the field when the page is shown again.
KEEP_AT_MOST = 32


def strip(value):
    return value.strip() if isinstance(value, str) else value


class SerialForm(Form):
    class Meta:
        csrf = False  # a read-only query sent by GET

    serial = StringField(
        _l("Business serial number"),
        filters=[strip],
        render_kw={
            "maxlength": 20,
            "inputmode": "numeric",
            "autocomplete": "off",
            "spellcheck": "false",
        },
    )
    submit = SubmitField(_l("Query"))
