"""The assumptions form (GET, no CSRF: it changes nothing). The services check the values;
the form shows them with their labels, the prefilled figures and each problem by its field."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField

from ...web.forms import Form
from .services import Choices

_NUMBER = {"inputmode": "decimal", "maxlength": 12, "autocomplete": "off"}


class AssumptionsForm(Form):
    class Meta:
        csrf = False

    base_mode = RadioField(
        _l("Future contribution base"),
        choices=[
            ("index", _l("As a share of the average wage")),
            ("amount", _l("As an amount a month")),
        ],
        validate_choice=False,
    )
    base_index = StringField(_l("Base as a share of the average wage (%)"), render_kw=_NUMBER)
    base_amount = StringField(_l("Base as an amount this year (yuan a month)"), render_kw=_NUMBER)
    wage_growth = StringField(_l("Yearly growth of the average wage (%)"), render_kw=_NUMBER)
    interest = StringField(_l("Yearly interest of the personal account (%)"), render_kw=_NUMBER)
    age = SelectField(_l("Retirement age"), validate_choice=False)
    women_original = SelectField(
        _l("Your original retirement age (before the 2025 reform)"),
        choices=[
            ("50", _l("50 (female worker)")),
            ("55", _l("55 (female staff, or flexible employment)")),
        ],
        validate_choice=False,
    )
    resident_amount = StringField(_l("Yearly payment from now on (yuan)"), render_kw=_NUMBER)

    def __init__(self, args: Mapping[str, str], choices: Choices):
        super().__init__(formdata=args if args else None)
        self.age.choices = [(str(age.months), age_label(age)) for age in choices.ages]
        defaults = {
            "base_mode": "index",
            "base_index": str(choices.base_index),
            "wage_growth": str(choices.wage_growth),
            "interest": str(choices.interest),
            "age": str(choices.statutory.months),
            "women_original": str(choices.women_original),
            "resident_amount": str(choices.resident_amount or ""),
        }
        for name, value in defaults.items():
            field = getattr(self, name)
            if not (args.get(name) or "").strip():
                field.data = value

    def attach(self, problems: dict[str, str]) -> None:
        for name, message in problems.items():
            getattr(self, name).errors = [message]


def age_label(age) -> str:
    if age.extra_months:
        return _("%(years)s years %(months)s months", years=age.years, months=age.extra_months)
    return _("%(years)s years", years=age.years)
