"""Codes of contract types and filing statuses, with their labels and the Chinese terms."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class ContractType(StrEnum):
    FIXED_TERM = "fixed_term"  # 固定期限
    OPEN_ENDED = "open_ended"  # 无固定期限
    TASK_BASED = "task_based"  # 以完成一定工作任务为期限
    DISPATCH = "dispatch"  # 劳务派遣


class FilingStatus(StrEnum):
    VALID = "valid"  # 有效
    TERMINATED = "terminated"  # 已终止
    EXPIRED = "expired"  # 已到期


CONTRACT_LABELS = {
    ContractType.FIXED_TERM: _l("Fixed-term"),
    ContractType.OPEN_ENDED: _l("Open-ended"),
    ContractType.TASK_BASED: _l("Until a task is completed"),
    ContractType.DISPATCH: _l("Labour dispatch"),
}
STATUS_LABELS = {
    FilingStatus.VALID: _l("Valid"),
    FilingStatus.TERMINATED: _l("Terminated"),
    FilingStatus.EXPIRED: _l("Expired"),
}

#: Contract types that must have an end date, and the one that may not have one.
NEEDS_END_DATE = frozenset({ContractType.FIXED_TERM, ContractType.DISPATCH})
NO_END_DATE = frozenset({ContractType.OPEN_ENDED})

#: Chinese terms in the labour bureau's records → codes (the importer accepts either).
ALIASES: dict[str, str] = {
    "固定期限": ContractType.FIXED_TERM,
    "无固定期限": ContractType.OPEN_ENDED,
    "以完成一定工作任务为期限": ContractType.TASK_BASED,
    "劳务派遣": ContractType.DISPATCH,
    "有效": FilingStatus.VALID,
    "已终止": FilingStatus.TERMINATED,
    "已到期": FilingStatus.EXPIRED,
}
