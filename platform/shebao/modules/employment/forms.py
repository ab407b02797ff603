"""Search forms (GET, no CSRF: they change nothing). The services check the values."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField

from ...web.forms import Form
from .services import KEYWORD_LIMIT
from .vocabulary import EDUCATION_LEVELS, OCCUPATIONS, SEEKER_EDUCATION_LEVELS

ALL = ("", _l("All"))


class _SearchForm(Form):
    class Meta:
        csrf = False

    occupation = SelectField(_l("Occupation"), validate_choice=False)
    district = SelectField(_l("District"), validate_choice=False)
    education = SelectField(_l("Education"), validate_choice=False)

    def __init__(self, formdata, districts: list[str], education_levels, **kwargs):
        super().__init__(formdata=formdata, **kwargs)
        self.occupation.choices = [ALL, *((term.code, term.label) for term in OCCUPATIONS)]
        self.district.choices = [ALL, *((district, district) for district in districts)]
        self.education.choices = [ALL, *((term.code, term.label) for term in education_levels)]

    def attach(self, problems: dict[str, str]) -> None:
        """Show each problem next to its field."""
        for name, message in problems.items():
            getattr(self, name).errors = [message]


class JobSearchForm(_SearchForm):
    keyword = StringField(
        _l("Keyword (position, employer or description)"),
        render_kw={"maxlength": KEYWORD_LIMIT, "type": "search"},
    )
    education = SelectField(_l("Education requirement"), validate_choice=False)
    salary_min = StringField(
        _l("Monthly salary from (yuan)"), render_kw={"inputmode": "decimal", "maxlength": 10}
    )
    salary_max = StringField(
        _l("Monthly salary to (yuan)"), render_kw={"inputmode": "decimal", "maxlength": 10}
    )

    FIELDS = ("keyword", "occupation", "district", "education", "salary_min", "salary_max")

    def __init__(self, formdata, districts: list[str]):
        super().__init__(formdata, districts, EDUCATION_LEVELS)


class SeekerSearchForm(_SearchForm):
    occupation = SelectField(_l("Desired occupation"), validate_choice=False)

    FIELDS = ("occupation", "district", "education")

    def __init__(self, formdata, districts: list[str]):
        super().__init__(formdata, districts, SEEKER_EDUCATION_LEVELS)
