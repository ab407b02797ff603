"""The ``modules.payments`` section of a city's YAML."""

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from ...tenancy.modules import ModuleOptions
from ...tenancy.types import Amount, Frozen, Label, Rate, Slug, Year

FlexibleType = Literal["pension", "medical"]


class Bank(Frozen):
    code: Slug
    """The bank's short code, for example icbc."""
    name: Label
    """The bank's name as residents see it."""


class FlexibleYear(Frozen):
    base_min: Amount
    """Lowest monthly base a flexible-employment payer may choose, in yuan."""
    base_max: Amount
    """Highest monthly base a flexible-employment payer may choose, in yuan."""
    rates: dict[FlexibleType, Rate]
    """Rate per insurance type, paid in full by the person (0.20 = 20 %)."""

    @model_validator(mode="after")
    def _bounds(self):
        if self.base_min > self.base_max:
            raise ValueError("base_min must not be greater than base_max")
        return self


class FlexibleOptions(Frozen):
    types: Annotated[list[FlexibleType], Field(min_length=1)]
    """Insurance types a flexible-employment payer may pay: pension and/or medical."""
    flow: Literal["confirm", "review"] = "confirm"
    """"confirm": 下一步 → 确认缴费/作废 → bank (Binzhou); "review": 下一步/取消 → 查看应缴 → bank → 支付成功/支付失败 (Dezhou)."""
    window_months: Annotated[int, Field(ge=1, le=120)] = 12
    """How many months back from the current month a resident may pay."""
    years: Annotated[dict[Year, FlexibleYear], Field(min_length=1)]
    """Bases and rates by first year in force (a new year is one more key)."""


class ResidentPensionYear(Frozen):
    grades: Annotated[list[Amount], Field(min_length=1)]
    """The yearly amounts a resident may choose from (缴费档次), in ascending order."""

    @field_validator("grades")
    @classmethod
    def _ascending(cls, grades):
        if any(later <= earlier for earlier, later in zip(grades, grades[1:], strict=False)):
            raise ValueError("grades must be listed in ascending order without repeats")
        return grades


class ResidentPensionOptions(Frozen):
    years: Annotated[dict[Year, ResidentPensionYear], Field(min_length=1)]
    """Grades by first year in force."""


class ResidentMedicalYear(Frozen):
    amount: Amount
    """The yearly contribution per person, in yuan."""
    window_start: date
    """First day on which that year's contribution can be paid."""
    window_end: date
    """Last day on which that year's contribution can be paid."""

    @model_validator(mode="after")
    def _window(self):
        if self.window_start > self.window_end:
            raise ValueError("window_start must not be after window_end")
        return self


class ResidentMedicalOptions(Frozen):
    years: Annotated[dict[Year, ResidentMedicalYear], Field(min_length=1)]
    """Amount and payment window by the year the cover is for."""


class PaymentsOptions(ModuleOptions):
    banks: Annotated[list[Bank], Field(min_length=1)]
    """Banks offered for paying; each payment goes through one of them."""
    order_ttl_minutes: Annotated[int, Field(ge=5, le=7 * 24 * 60)] = 30
    """Unfinished orders older than this are expired by `shebao payments expire`."""
    flexible: FlexibleOptions | None = None
    """Flexible-employment contributions (灵活就业/个体人员缴费); absent: not offered."""
    resident_pension: ResidentPensionOptions | None = None
    """Resident pension contributions (居民养老); absent: not offered."""
    resident_medical: ResidentMedicalOptions | None = None
    """Resident medical contributions (居民医疗); absent: not offered."""

    def entry_enabled(self, key: str) -> bool:
        if key == "flexible_medical":
            return self.flexible is not None and "medical" in self.flexible.types
        if key in ("flexible", "resident_pension", "resident_medical"):
            return getattr(self, key) is not None
        return True
