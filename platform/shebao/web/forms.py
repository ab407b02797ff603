"""The one base class of every form in the platform: ``Form`` refuses control characters.

A NUL byte in any text makes PostgreSQL refuse the whole statement (a 500), and no control
character means anything in a form. Rather than a validator on each field, the base class
looks at every text field when the form is bound: a field holding one gets an error next to
it (its validation stops there), and its value is kept without them, so even code that reads
a field before validating never hands them to the database.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import Field, SelectMultipleField, TextAreaField
from wtforms.csrf.core import CSRFTokenField
from wtforms.validators import StopValidation

from .queries import CONTROL_CHARACTERS_MESSAGE, has_control_characters, without_control_characters


def refuse_control_characters(form, field: Field) -> None:
    raise StopValidation(str(CONTROL_CHARACTERS_MESSAGE))


class Form(FlaskForm):
    """A Flask-WTF form whose text fields refuse control characters (tab and line breaks are
    allowed in a text area only)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self:
            if not isinstance(field, CSRFTokenField) and _clean(field):
                # Per instance: the class's validator list is shared by every form.
                field.validators = [refuse_control_characters, *field.validators]


def _clean(field: Field) -> bool:
    """Drop control characters from the field's value; True when there were any."""
    multiline = isinstance(field, TextAreaField)
    if isinstance(field, SelectMultipleField) and isinstance(field.data, list):
        values = field.data
    elif isinstance(field.data, str):
        values = [field.data]
    else:
        return False
    if not any(
        isinstance(v, str) and has_control_characters(v, multiline=multiline) for v in values
    ):
        return False
    cleaned = [
        without_control_characters(v, multiline=multiline) if isinstance(v, str) else v
        for v in values
    ]
    field.data = cleaned if isinstance(field, SelectMultipleField) else cleaned[0]
    return True
