"""The 打印 button: a POST form with a CSRF token (the conditions travel as hidden fields)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SubmitField

from ...web.forms import Form


class PrintForm(Form):
    submit = SubmitField(_l("Print"))
