"""``shebao import --kind labour_filings``: labour contract filings (劳动合同备案)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import model_validator

from ...core.importing import ImportKind, ImportRow, RowProblem, Upsert
from ...core.importing.columns import Choice, Date, Pattern, Text
from ...people.importing import PERSON
from .credit_code import is_valid_credit_code
from .models import LabourFiling
from .vocabulary import ALIASES, NEEDS_END_DATE, NO_END_DATE, ContractType, FilingStatus

CREDIT_CODE = Pattern(
    is_valid_credit_code,
    "must be a unified social credit code (18 characters, the last a valid check character)",
    upper=True,
)


class FilingRow(ImportRow):
    """Labour contract filings, one row each, identified by person, employer and start date:
    a filing already in the city is updated."""

    blank_is_missing = True

    id_number: Annotated[str, PERSON]
    """The employee's resident ID number; they must already be in the city."""
    employer: Annotated[str, Text(128)]
    """The employer's name."""
    credit_code: Annotated[str, CREDIT_CODE]
    """The employer's unified social credit code (统一社会信用代码)."""
    contract_type: Annotated[str, Choice.with_synonyms(ContractType, ALIASES)]
    """The kind of contract (合同期限类型)."""
    start_date: Annotated[date, Date()]
    """The first day of the contract."""
    filing_date: Annotated[date, Date()]
    """The day the contract was filed with the labour bureau."""
    status: Annotated[str, Choice.with_synonyms(FilingStatus, ALIASES)]
    """Whether the contract is in force."""
    end_date: Annotated[date, Date()] | None = None
    """Required for fixed_term and dispatch contracts, empty for open_ended ones; not before
    start_date."""

    @model_validator(mode="after")
    def _end_fits_the_contract(self) -> FilingRow:
        kind, end = self.contract_type, self.end_date
        if end is None and kind in NEEDS_END_DATE:
            raise RowProblem(("end_date", f"is required for a {kind} contract"))
        if end is not None and kind in NO_END_DATE:
            raise RowProblem(("end_date", f"must be empty for an {kind} contract"))
        if end is not None and end < self.start_date:
            raise RowProblem(("end_date", "is before start_date"))
        return self


LABOUR_FILINGS = ImportKind(
    name="labour_filings",
    row=FilingRow,
    key=("id_number", "employer", "start_date"),
    write=Upsert(LabourFiling, key=("person_id", "employer", "start_date")),
)
