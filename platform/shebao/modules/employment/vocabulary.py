"""The fixed lists of public employment: occupation categories and education levels.

Rows store the code; pages show the translated label; CSV files may give either the code or
the Chinese name (what the service hall's staff write).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Term:
    code: str
    chinese: str
    label: object  # a lazy gettext string


OCCUPATIONS: tuple[Term, ...] = (
    Term("manufacturing", "生产制造", _l("Production and manufacturing")),
    Term("construction", "建筑施工", _l("Construction")),
    Term("logistics", "交通运输物流", _l("Transport and logistics")),
    Term("sales", "销售商贸", _l("Sales and retail")),
    Term("catering", "住宿餐饮", _l("Hotels and catering")),
    Term("domestic", "家政养老", _l("Domestic and elderly care")),
    Term("healthcare", "医疗护理", _l("Health care")),
    Term("education", "教育培训", _l("Education and training")),
    Term("it", "信息技术", _l("Information technology")),
    Term("finance", "财务会计", _l("Finance and accounting")),
    Term("office", "行政文员", _l("Office and administration")),
    Term("agriculture", "农林牧渔", _l("Agriculture, forestry and fishery")),
    Term("security", "安保物业", _l("Security and property services")),
)

#: Education levels, lowest first. ``any`` is only a posting's requirement (不限).
EDUCATION_LEVELS: tuple[Term, ...] = (
    Term("any", "不限", _l("No requirement")),
    Term("junior_high", "初中", _l("Junior high school")),
    Term("senior_high", "高中", _l("Senior high school")),
    Term("vocational", "中专", _l("Secondary vocational school")),
    Term("college", "大专", _l("Junior college")),
    Term("bachelor", "本科", _l("Bachelor's degree")),
    Term("master", "硕士及以上", _l("Master's degree or higher")),
)
#: What a job seeker can have (不限 is no level of education).
SEEKER_EDUCATION_LEVELS = tuple(term for term in EDUCATION_LEVELS if term.code != "any")

OCCUPATION_LABELS = {term.code: term.label for term in OCCUPATIONS}
EDUCATION_LABELS = {term.code: term.label for term in EDUCATION_LEVELS}


def code_of(terms: tuple[Term, ...], value: str) -> str | None:
    """The code for ``value`` given as a code or as the Chinese name; None when unknown."""
    value = value.strip()
    for term in terms:
        if value in (term.code, term.chinese):
            return term.code
    return None
