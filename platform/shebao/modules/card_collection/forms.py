"""Forms of the card application and the photo upload. Choices come from the city's YAML."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import Length, Optional, Regexp

from ...core.i18n import label_text
from ...web.forms import Form
from .ethnicities import ETHNICITIES

PHONE = Regexp(r"^1[3-9][0-9]{9}$", message=_l("Enter an 11-digit mobile number."))
#: Fields every submitted application must have; a draft may leave them empty.
REQUIRED_ON_SUBMIT = (
    "nationality",
    "ethnicity",
    "phone",
    "address",
    "occupation",
    "bank",
    "collection_point",
)


def strip(value):
    return value.strip() if isinstance(value, str) else value


def _too_long(limit: int):
    return Length(max=limit, message=_l("At most %(max)d characters.", max=limit))


class ApplicationForm(Form):
    nationality = StringField(
        _l("Nationality"),
        [Optional(), _too_long(32)],
        filters=[strip],
        render_kw={"maxlength": 32, "autocomplete": "country-name"},
    )
    ethnicity = SelectField(_l("Ethnic group"), validate_choice=False)
    phone = StringField(
        _l("Mobile number"),
        [Optional(), PHONE],
        filters=[strip],
        render_kw={"inputmode": "tel", "maxlength": 11, "autocomplete": "tel"},
    )
    address = StringField(
        _l("Address"),
        [Optional(), _too_long(128)],
        filters=[strip],
        render_kw={"maxlength": 128, "autocomplete": "street-address"},
    )
    occupation = StringField(
        _l("Profession"), [Optional(), _too_long(64)], filters=[strip], render_kw={"maxlength": 64}
    )
    bank = SelectField(_l("Issuing bank"), validate_choice=False)
    collection_point = SelectField(_l("Where to collect the card"), validate_choice=False)
    save = SubmitField(_l("Save draft"))
    submit = SubmitField(_l("Submit"))

    def fill_choices(self, options) -> None:
        blank = [("", _l("Please choose"))]
        self.ethnicity.choices = blank + list(ETHNICITIES.items())
        self.bank.choices = blank + [(bank.code, label_text(bank.name)) for bank in options.banks]
        self.collection_point.choices = blank + [
            (str(number), label_text(point))
            for number, point in enumerate(options.collection_points, start=1)
        ]

    def fill(self, values: dict) -> None:
        for name, value in values.items():
            getattr(self, name).data = value

    def attach(self, errors: dict[str | None, str], *, only_clean_fields: bool = False) -> str:
        """Put each refusal next to its field; return what belongs to the whole form.

        With ``only_clean_fields`` a field that already shows an error gets no second one.
        """
        general = []
        for name, message in errors.items():
            field = getattr(self, name, None) if name else None
            if field is None:
                general.append(message)
            elif not (only_clean_fields and field.errors):
                field.errors = [*field.errors, message]
        return " ".join(general)


class PhotoForm(Form):
    photo = FileField(
        _l("ID photo (JPEG or PNG)"),
        render_kw={"accept": "image/jpeg,image/png", "capture": "user"},
    )
    upload = SubmitField(_l("Upload photo"))
