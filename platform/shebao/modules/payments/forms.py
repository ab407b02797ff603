"""Payment forms. The forms only carry choices; every amount is computed by the services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ...web.forms import Form
from ...web.queries import QueryError, parse_year_month

REQUIRED = DataRequired(message=_l("This field is required."))


def strip(value):
    return value.strip() if isinstance(value, str) else value


def year_month(form, field) -> None:
    try:
        field.parsed = parse_year_month(field.data or "")
    except QueryError as error:
        raise ValidationError(str(error)) from None
    if field.parsed is None:
        raise ValidationError(_l("This field is required."))


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class FlexibleForm(Form):
    start = StringField(
        _l("Start year-month"),
        [
            REQUIRED,
            Length(max=7, message=_l("Enter the month as year-month, for example 2024-05.")),
            year_month,
        ],
        filters=[strip],
        render_kw={
            "placeholder": "2026-01",
            "inputmode": "numeric",
            "maxlength": 7,
        },
    )
    end = StringField(
        _l("End year-month"),
        [
            REQUIRED,
            Length(max=7, message=_l("Enter the month as year-month, for example 2024-05.")),
            year_month,
        ],
        filters=[strip],
        render_kw={
            "placeholder": "2026-06",
            "inputmode": "numeric",
            "maxlength": 7,
        },
    )
    types = CheckboxesField(
        _l("Insurance types"),
        validate_choice=False,
    )
    base = StringField(
        _l("Contribution base (yuan per month)"),
        [REQUIRED, Length(max=16, message=_l("Enter the base in yuan, for example 4500."))],
        filters=[strip],
        render_kw={"inputmode": "decimal", "maxlength": 16},
    )
    submit = SubmitField(_l("Next"))


class ResidentPensionForm(Form):
    year = SelectField(_l("Year"), validate_choice=False)
    grade = RadioField(_l("Contribution grade (yuan per year)"), validate_choice=False)
    submit = SubmitField(_l("Next"))


class ResidentMedicalForm(Form):
    year = RadioField(_l("Year of cover"), validate_choice=False)
    submit = SubmitField(_l("Next"))


class BankForm(Form):
    bank = RadioField(_l("Bank"), validate_choice=False)
    submit = SubmitField(_l("Pay now"))


class ActionForm(Form):
    """The step buttons of an order (confirm, void, back, check): only the CSRF token."""
