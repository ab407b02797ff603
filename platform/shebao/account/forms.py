"""Account forms. Field limits here are the first line; the services check the rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from ..people.idnumber import InvalidIdNumber, normalise_id_number
from ..web.forms import Form
from .questions import QUESTION_LABELS

ID_LENGTH = Length(max=18, message=_l("The ID number has 18 characters."))
PHONE = Regexp(r"^1[3-9][0-9]{9}$", message=_l("Enter an 11-digit mobile number."))
REQUIRED = DataRequired(message=_l("This field is required."))


def valid_id_number(form, field) -> None:
    try:
        field.data = normalise_id_number(field.data or "")
    except InvalidIdNumber:
        raise ValidationError(
            _l("Enter a valid 18-character ID number (check the last digit or X).")
        ) from None


def strip(value):
    return value.strip() if isinstance(value, str) else value


class LoginForm(Form):
    id_number = StringField(
        _l("ID number"),
        [REQUIRED, Length(max=18, message=_l("The ID number has 18 characters."))],
        filters=[strip],
        render_kw={"autocomplete": "username", "maxlength": 18},
    )
    password = PasswordField(
        _l("Password"), [REQUIRED, Length(max=64)], render_kw={"autocomplete": "current-password"}
    )
    captcha = StringField(
        _l("Verification code"),
        [REQUIRED, Length(max=8)],
        filters=[strip],
        render_kw={"autocomplete": "off", "maxlength": 8, "inputmode": "text"},
    )
    submit = SubmitField(_l("Log in"))
    #: The value of the page's "Show another picture" / "Listen" buttons ("picture", "audio"),
    #: written in the template as <button>s after "Log in" (Enter still logs in).
    refresh_captcha = HiddenField()


class _RegisterBase(Form):
    id_number = StringField(
        _l("ID number"),
        [REQUIRED, ID_LENGTH, valid_id_number],
        filters=[strip],
        render_kw={"maxlength": 18},
    )
    name = StringField(
        _l("Name"), [REQUIRED, Length(max=64, message=_l("The name is too long."))], filters=[strip]
    )
    password = PasswordField(
        _l("Password"), [REQUIRED, Length(max=64)], render_kw={"autocomplete": "new-password"}
    )
    confirm = PasswordField(
        _l("Password again"), [REQUIRED, Length(max=64)], render_kw={"autocomplete": "new-password"}
    )


class RegisterCardForm(_RegisterBase):
    card_number = StringField(
        _l("Social security card number"),
        [REQUIRED, Length(max=32, message=_l("The card number is too long."))],
        filters=[strip],
    )
    phone = StringField(
        _l("Mobile number"), [REQUIRED, PHONE], filters=[strip], render_kw={"inputmode": "tel"}
    )
    email = StringField(_l("E-mail (optional)"), [Optional(), Length(max=254)], filters=[strip])
    submit = SubmitField(_l("Register now"))


class RegisterSmsForm(_RegisterBase):
    phone = StringField(
        _l("Mobile number reserved at the service hall"),
        [REQUIRED, PHONE],
        filters=[strip],
        render_kw={"inputmode": "tel"},
    )
    code = StringField(
        _l("SMS code"),
        [Length(max=6, message=_l("The SMS code has 6 digits."))],
        filters=[strip],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 6},
    )
    send_code = SubmitField(_l("Get a free SMS code"))
    submit = SubmitField(_l("Register now"))


class ForgotPasswordForm(Form):
    id_number = StringField(
        _l("ID number"), [REQUIRED, ID_LENGTH, valid_id_number], filters=[strip]
    )
    phone = StringField(_l("Reserved mobile number"), [REQUIRED, PHONE], filters=[strip])
    submit = SubmitField(_l("Reset password"))


class ChangePasswordForm(Form):
    old_password = PasswordField(
        _l("Current password"),
        [REQUIRED, Length(max=64)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("New password"), [REQUIRED, Length(max=64)], render_kw={"autocomplete": "new-password"}
    )
    confirm = PasswordField(
        _l("New password again"),
        [REQUIRED, Length(max=64)],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Save"))


class RegistrationInfoForm(Form):
    phone = StringField(
        _l("Mobile number"), [REQUIRED, PHONE], filters=[strip], render_kw={"inputmode": "tel"}
    )
    code = StringField(
        _l("SMS code (only when the mobile number changes)"),
        [Length(max=6)],
        filters=[strip],
        render_kw={"inputmode": "numeric", "maxlength": 6},
    )
    email = StringField(_l("E-mail"), [Optional(), Length(max=254)], filters=[strip])
    send_code = SubmitField(_l("Send a code to the new number"))
    submit = SubmitField(_l("Save"))


def question_choices():
    return [("", _l("— choose a question —"))] + list(QUESTION_LABELS.items())


class SecurityQuestionsForm(Form):
    password = PasswordField(_l("Current password"), [REQUIRED, Length(max=64)])
    question1 = SelectField(_l("Question 1"), choices=question_choices, validate_choice=False)
    answer1 = StringField(_l("Answer 1"), [Length(max=50)], filters=[strip])
    question2 = SelectField(_l("Question 2"), choices=question_choices, validate_choice=False)
    answer2 = StringField(_l("Answer 2"), [Length(max=50)], filters=[strip])
    question3 = SelectField(_l("Question 3"), choices=question_choices, validate_choice=False)
    answer3 = StringField(_l("Answer 3"), [Length(max=50)], filters=[strip])
    submit = SubmitField(_l("Save"))


class RecoverStartForm(Form):
    id_number = StringField(
        _l("ID number"), [REQUIRED, ID_LENGTH, valid_id_number], filters=[strip]
    )
    submit = SubmitField(_l("Next"))


class RecoverAnswerForm(Form):
    id_number = HiddenField()
    answer1 = StringField("", [Length(max=50)], filters=[strip])
    answer2 = StringField("", [Length(max=50)], filters=[strip])
    answer3 = StringField("", [Length(max=50)], filters=[strip])
    new_password = PasswordField(_l("New password"), [REQUIRED, Length(max=64)])
    confirm = PasswordField(_l("New password again"), [REQUIRED, Length(max=64)])
    submit = SubmitField(_l("Set the new password"))


class ConfirmForm(Form):
    """A form that only carries the CSRF token (log out, exit)."""

    submit = SubmitField(_l("Confirm"))
