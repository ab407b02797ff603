"""Card forms: one button each, posted with a CSRF token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SubmitField

from ...web.forms import Form


class LossReportForm(Form):
    submit = SubmitField(_l("Report loss"))


class CancelLossReportForm(Form):
    submit = SubmitField(_l("Cancel the loss report"))
