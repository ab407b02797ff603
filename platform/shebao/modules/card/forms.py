"""Card forms: one button each, posted with a CSRF token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField


class LossReportForm(FlaskForm):
    submit = SubmitField(_l("Report loss"))


class CancelLossReportForm(FlaskForm):
    submit = SubmitField(_l("Cancel the loss report"))
