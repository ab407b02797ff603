"""The registry of feature modules: adding a module is adding its package and one line here.

Importing a module package reads its declaration only (``__init__.py``); its views, seeder,
import kinds and to-do sources are resolved by ``FeatureModule.parts``, each when first used.
"""

from __future__ import annotations

import importlib
import importlib.util
from functools import cache
from typing import TYPE_CHECKING

from . import account
from .modules import (
    benefits,
    card,
    card_collection,
    contributions,
    employment,
    labour,
    messages,
    payments,
    pension_account,
    pension_estimate,
    personal_info,
    printing,
    todo,
)
from .tenancy.modules import ModuleCatalogue

if TYPE_CHECKING:  # the CSV import engine is the command line's: serving never loads it
    from .core.importing import ImportKind

#: Tables that belong to no feature module.
CORE_MODEL_MODULES = (
    "shebao.people.models",
    "shebao.account.models",
    "shebao.account.sms_limits",
    "shebao.audit",
    "shebao.messages.models",
    "shebao.integrations.sms.dead_letters",
    "shebao.integrations.bank.sandbox_ledger",
    "shebao.integrations.storage.database",
    "shebao.staff.models",
)


@cache
def all_modules() -> ModuleCatalogue:
    """Every module, in the order their menus and seeders run (accounts first)."""
    return ModuleCatalogue(
        [
            account.module,
            todo.module,
            messages.module,
            personal_info.module,
            contributions.module,
            pension_account.module,
            pension_estimate.module,
            card.module,
            card_collection.module,
            payments.module,
            printing.module,
            benefits.module,
            employment.module,
            labour.module,
        ]
    )


def import_models() -> None:
    """Import every model so that the metadata (and Alembic) sees all tables."""
    for name in CORE_MODEL_MODULES:
        importlib.import_module(name)
    for module in all_modules().values():
        if importlib.util.find_spec(f"{module.package}.models"):
            importlib.import_module(f"{module.package}.models")


def import_kinds() -> dict[str, ImportKind]:
    """``persons`` plus every kind a feature module declares, by kind name (docs/import.md
    lists them in this order)."""
    from .people.importer import PERSONS

    kinds = {PERSONS.name: PERSONS}
    for module in all_modules().values():
        for name, kind in module.parts.import_kinds.items():
            if name in kinds or name != kind.name:
                raise ValueError(
                    f"module {module.name}: import kind {name!r} is taken or names {kind.name!r}"
                )
            kinds[name] = kind
    return kinds
