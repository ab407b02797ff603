"""The console's forms (Flask-WTF, CSRF on every form that changes something)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    PasswordField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..web.forms import Form
from .models import ROLES

ROLE_LABELS = {
    "reviewer": _l("Reviewer (card applications and photos)"),
    "service": _l("Service (resident help)"),
    "finance": _l("Finance (refunds, reconciliation)"),
    "editor": _l("Editor (announcements)"),
    "admin": _l("Administrator (staff accounts, audit log)"),
}


def _required(message):
    return InputRequired(message=message)


class LoginForm(Form):
    username = StringField(
        _l("User name"), [_required(_l("Enter your user name.")), Length(max=32)]
    )
    password = PasswordField(
        _l("Password"), [_required(_l("Enter your password.")), Length(max=128)]
    )
    totp = StringField(
        _l("One-time code"),
        [_required(_l("Enter the 6-digit code your authenticator app shows.")), Length(max=8)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
    submit = SubmitField(_l("Log in"))


class EnrolStartForm(Form):
    username = StringField(
        _l("User name"), [_required(_l("Enter your user name.")), Length(max=32)]
    )
    code = StringField(
        _l("Enrolment code"),
        [_required(_l("Enter the enrolment code you were given.")), Length(max=32)],
    )
    submit = SubmitField(_l("Continue"))


class EnrolFinishForm(Form):
    username = StringField(_l("User name"), [DataRequired(), Length(max=32)])
    code = StringField(_l("Enrolment code"), [DataRequired(), Length(max=32)])
    password = PasswordField(
        _l("New password"), [_required(_l("Choose a password.")), Length(max=128)]
    )
    confirm = PasswordField(
        _l("New password again"), [_required(_l("Type the password again.")), Length(max=128)]
    )
    totp = StringField(
        _l("One-time code"),
        [_required(_l("Enter the 6-digit code your authenticator app shows.")), Length(max=8)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
    submit = SubmitField(_l("Finish enrolment"))


class ReasonForm(Form):
    """A decision or an action with an (optional or required) written reason."""

    reason = TextAreaField(_l("Reason"), [Optional(), Length(max=200)])
    submit = SubmitField(_l("Confirm"))


class DecisionForm(Form):
    reason = TextAreaField(_l("Reason (the resident sees it)"), [Optional(), Length(max=200)])
    accept = SubmitField(_l("Accept"))
    refuse = SubmitField(_l("Return with this reason"))


class LookupForm(Form):
    id_number = StringField(
        _l("Full ID number"),
        [_required(_l("Enter the resident's full ID number.")), Length(max=32)],
    )
    submit = SubmitField(_l("Look up"))


class HelpActionForm(Form):
    reason = TextAreaField(
        _l("Reason"),
        [_required(_l("Write the reason for this action.")), Length(max=200)],
    )
    submit = SubmitField(_l("Confirm"))


class SerialForm(Form):
    serial = StringField(
        _l("Serial number"),
        [_required(_l("Enter the certificate's serial number.")), Length(max=32)],
    )
    submit = SubmitField(_l("Look up"))


class RevokeForm(HelpActionForm):
    submit = SubmitField(_l("Revoke this certificate"))


class RefundForm(Form):
    reference = StringField(
        _l("Bank's refund reference"),
        [_required(_l("Enter the bank's refund reference.")), Length(max=64)],
    )
    submit = SubmitField(_l("Mark refunded"))


class MemberForm(Form):
    username = StringField(_l("User name"), [_required(_l("Enter a user name.")), Length(max=32)])
    name = StringField(
        _l("Name"), [_required(_l("Enter the staff member's name.")), Length(max=64)]
    )
    roles = SelectMultipleField(
        _l("Roles"),
        choices=[(role, ROLE_LABELS[role]) for role in ROLES],
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validate_choice=False,
    )
    submit = SubmitField(_l("Create staff member"))


class RolesForm(Form):
    roles = SelectMultipleField(
        _l("Roles"),
        choices=[(role, ROLE_LABELS[role]) for role in ROLES],
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validate_choice=False,
    )
    reason = TextAreaField(
        _l("Reason"), [_required(_l("Write the reason for this action.")), Length(max=200)]
    )
    submit = SubmitField(_l("Save roles"))


class AnnouncementForm(Form):
    title_zh = StringField(_l("Title (Chinese)"), [Length(max=200)])
    title_en = StringField(_l("Title (English)"), [Length(max=200)])
    body_zh = TextAreaField(
        _l("Text (Chinese, Markdown)"), [Length(max=20_000)], render_kw={"rows": 8}
    )
    body_en = TextAreaField(
        _l("Text (English, Markdown)"), [Length(max=20_000)], render_kw={"rows": 8}
    )
    publish_from = DateTimeLocalField(
        _l("Publish from"),
        [Optional()],
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    publish_until = DateTimeLocalField(
        _l("Publish until (empty: no end)"),
        [Optional()],
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    pinned = BooleanField(_l("Pinned (shown first)"))
    submit = SubmitField(_l("Publish"))
