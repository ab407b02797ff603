"""The vocabulary of insurance types shared by every module."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class InsuranceType(StrEnum):
    PENSION = "pension"
    MEDICAL = "medical"
    UNEMPLOYMENT = "unemployment"
    WORK_INJURY = "work_injury"
    MATERNITY = "maternity"
    RESIDENT_PENSION = "resident_pension"
    RESIDENT_MEDICAL = "resident_medical"

    @property
    def label(self):
        return INSURANCE_LABELS[self]


INSURANCE_LABELS = {
    InsuranceType.PENSION: _l("Employee pension insurance"),
    InsuranceType.MEDICAL: _l("Employee medical insurance"),
    InsuranceType.UNEMPLOYMENT: _l("Unemployment insurance"),
    InsuranceType.WORK_INJURY: _l("Work injury insurance"),
    InsuranceType.MATERNITY: _l("Maternity insurance"),
    InsuranceType.RESIDENT_PENSION: _l("Resident pension insurance"),
    InsuranceType.RESIDENT_MEDICAL: _l("Resident medical insurance"),
}

EMPLOYEE_TYPES = (
    InsuranceType.PENSION,
    InsuranceType.MEDICAL,
    InsuranceType.UNEMPLOYMENT,
    InsuranceType.WORK_INJURY,
    InsuranceType.MATERNITY,
)


class InsuredStatus(StrEnum):
    ACTIVE = "active"  # 参保缴费
    SUSPENDED = "suspended"  # 暂停缴费
    TERMINATED = "terminated"  # 终止参保
    NOT_INSURED = "not_insured"  # 未参保

    @property
    def label(self):
        return STATUS_LABELS[self]


STATUS_LABELS = {
    InsuredStatus.ACTIVE: _l("Insured, contributing"),
    InsuredStatus.SUSPENDED: _l("Contributions suspended"),
    InsuredStatus.TERMINATED: _l("Insurance terminated"),
    InsuredStatus.NOT_INSURED: _l("Not insured"),
}
