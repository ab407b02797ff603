"""The 打印 button: a POST form with a CSRF token (the conditions travel as hidden fields)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField


class PrintForm(FlaskForm):
    submit = SubmitField(_l("Print"))
