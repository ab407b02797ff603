"""``shebao import --kind persons``: insured persons and their insurance statuses."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import model_validator

from ..core.importing import Children, ImportKind, ImportRow, Record, RowProblem
from ..core.importing.columns import MOBILE, Choice, Date, Text
from ..core.importing.writing import Upsert
from .importing import CARD_NUMBER, ID_NUMBER, SEX, id_number_mismatches
from .insurance import InsuranceType, InsuredStatus
from .models import Person, PersonInsurance

CATEGORY = Choice(
    {
        "employee": ("在职职工",),
        "retiree": ("退休人员",),
        "flexible": ("灵活就业人员",),
        "resident": ("城乡居民",),
    }
)
STATUS = Choice(
    {
        InsuredStatus.ACTIVE: ("参保缴费",),
        InsuredStatus.SUSPENDED: ("暂停缴费",),
        InsuredStatus.TERMINATED: ("终止参保",),
        InsuredStatus.NOT_INSURED: ("未参保",),
    }
)
Status = Annotated[str, STATUS] | None


class PersonRow(ImportRow):
    """Insured persons, one row each, with the status of each insurance they hold (table
    `person_insurance`). A person already in the city (same ID number) is updated, and their
    insurance statuses become exactly those of the row."""

    id_number: Annotated[str, ID_NUMBER]
    """The person's resident ID number: their key in the city."""
    name: Annotated[str, Text(64, min_length=1)]
    """The person's name, as on the ID card."""
    sex: Annotated[str, SEX]
    """The person's sex; must agree with the ID number (its 17th digit is odd for men)."""
    birth_date: Annotated[date, Date()]
    """The date of birth; must agree with the ID number (its digits 7 to 14)."""
    category: Annotated[str, CATEGORY]
    """Personnel category (人员类别)."""
    phone: Annotated[str, MOBILE] | None = None
    """The mobile number the person registered (SMS codes go there)."""
    card_number: Annotated[str, CARD_NUMBER] | None = None
    """The social security card's number (residents may register with it)."""
    employer: Annotated[str, Text(128)] | None = None
    """The employer's name (employees and retirees)."""
    first_insured: Annotated[date, Date()] | None = None
    """When the person was first insured; recorded with every insurance status of the row."""
    pension: Status = None
    """Status of employee pension insurance; empty: not insured."""
    medical: Status = None
    """Status of employee medical insurance; empty: not insured."""
    unemployment: Status = None
    """Status of unemployment insurance; empty: not insured."""
    work_injury: Status = None
    """Status of work injury insurance; empty: not insured."""
    maternity: Status = None
    """Status of maternity insurance; empty: not insured."""
    resident_pension: Status = None
    """Status of resident pension insurance; empty: not insured."""
    resident_medical: Status = None
    """Status of resident medical insurance; empty: not insured."""

    @model_validator(mode="after")
    def _agrees_with_id_number(self) -> PersonRow:
        mismatches = id_number_mismatches(self.id_number, self.sex, self.birth_date)
        if mismatches:
            raise RowProblem(*mismatches)
        return self


STATUS_COLUMNS = tuple(kind.value for kind in InsuranceType)


def person_values(record: Record) -> dict:
    return record.values(exclude={"first_insured", *STATUS_COLUMNS})


def insurance_statuses(record: Record) -> list[dict]:
    """One ``person_insurance`` row per status the row gives."""
    row = record.row
    return [
        {"insurance_type": column, "status": status, "first_insured": row.first_insured}
        for column in STATUS_COLUMNS
        if (status := getattr(row, column)) is not None
    ]


PERSONS = ImportKind(
    name="persons",
    row=PersonRow,
    key=("id_number",),
    write=Upsert(
        Person,
        key=("city", "id_number"),
        values=person_values,
        children=Children(PersonInsurance, "person_id", insurance_statuses),
    ),
)
