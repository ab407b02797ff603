"""Codes of business kinds, case statuses and step names, with their labels.

The database holds the codes; pages show the labels in the reader's language. Importers also
accept the Chinese terms of the service centre's own records (``ALIASES``).
"""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class CaseKind(StrEnum):
    PENSION_TRANSFER = "pension_transfer"  # 养老保险关系转移
    RETIREMENT_APPROVAL = "retirement_approval"  # 退休审批
    CARD_REPLACEMENT = "card_replacement"  # 社保卡补换
    UNEMPLOYMENT_CLAIM = "unemployment_claim"  # 失业金申领
    MEDICAL_REMOTE_FILING = "medical_remote_filing"  # 医保异地备案


class CaseStatus(StrEnum):
    IN_PROGRESS = "in_progress"  # 办理中
    COMPLETED = "completed"  # 已办结
    RETURNED = "returned"  # 已退回


class StepName(StrEnum):
    ACCEPT = "accept"  # 受理
    REVIEW = "review"  # 审核
    RECHECK = "recheck"  # 复核
    APPROVE = "approve"  # 审批
    MAKE_CARD = "make_card"  # 制卡
    COMPLETE = "complete"  # 办结


KIND_LABELS = {
    CaseKind.PENSION_TRANSFER: _l("Transfer of pension insurance"),
    CaseKind.RETIREMENT_APPROVAL: _l("Retirement approval"),
    CaseKind.CARD_REPLACEMENT: _l("Social security card replacement"),
    CaseKind.UNEMPLOYMENT_CLAIM: _l("Unemployment benefit claim"),
    CaseKind.MEDICAL_REMOTE_FILING: _l("Medical insurance filing for treatment elsewhere"),
}
STATUS_LABELS = {
    CaseStatus.IN_PROGRESS: _l("In progress"),
    CaseStatus.COMPLETED: _l("Completed"),
    CaseStatus.RETURNED: _l("Returned"),
}
STEP_LABELS = {
    StepName.ACCEPT: _l("Acceptance"),
    StepName.REVIEW: _l("Review"),
    StepName.RECHECK: _l("Second review"),
    StepName.APPROVE: _l("Approval"),
    StepName.MAKE_CARD: _l("Card production"),
    StepName.COMPLETE: _l("Completion"),
}

#: The steps each kind of business goes through, in order (demo data follows them).
KIND_STEPS = {
    CaseKind.PENSION_TRANSFER: (
        StepName.ACCEPT,
        StepName.REVIEW,
        StepName.RECHECK,
        StepName.COMPLETE,
    ),
    CaseKind.RETIREMENT_APPROVAL: (
        StepName.ACCEPT,
        StepName.REVIEW,
        StepName.RECHECK,
        StepName.APPROVE,
        StepName.COMPLETE,
    ),
    CaseKind.CARD_REPLACEMENT: (StepName.ACCEPT, StepName.MAKE_CARD, StepName.COMPLETE),
    CaseKind.UNEMPLOYMENT_CLAIM: (StepName.ACCEPT, StepName.REVIEW, StepName.COMPLETE),
    CaseKind.MEDICAL_REMOTE_FILING: (StepName.ACCEPT, StepName.COMPLETE),
}

#: The service centre's Chinese terms → codes (importers accept either).
ALIASES: dict[str, str] = {
    "养老保险关系转移": CaseKind.PENSION_TRANSFER,
    "退休审批": CaseKind.RETIREMENT_APPROVAL,
    "社保卡补换": CaseKind.CARD_REPLACEMENT,
    "失业金申领": CaseKind.UNEMPLOYMENT_CLAIM,
    "医保异地备案": CaseKind.MEDICAL_REMOTE_FILING,
    "办理中": CaseStatus.IN_PROGRESS,
    "已办结": CaseStatus.COMPLETED,
    "已退回": CaseStatus.RETURNED,
    "受理": StepName.ACCEPT,
    "审核": StepName.REVIEW,
    "复核": StepName.RECHECK,
    "审批": StepName.APPROVE,
    "制卡": StepName.MAKE_CARD,
    "办结": StepName.COMPLETE,
}
