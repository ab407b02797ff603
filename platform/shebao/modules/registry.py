"""The registry of feature modules: adding a module is adding its package and one line here."""

from __future__ import annotations

from functools import cache

from .base import FeatureModule


@cache
def all_modules() -> dict[str, FeatureModule]:
    from ..accounts import module as account
    from . import (
        benefits,
        card,
        card_collection,
        contributions,
        employment,
        labour,
        payments,
        pension_account,
        personal_info,
        printing,
        todo,
    )

    modules = [
        account,
        todo.module,
        personal_info.module,
        contributions.module,
        pension_account.module,
        card.module,
        card_collection.module,
        payments.module,
        printing.module,
        benefits.module,
        employment.module,
        labour.module,
    ]
    return {module.name: module for module in modules}
