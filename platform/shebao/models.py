"""Imports every model so that the metadata (and Alembic) sees all tables.

Core models are listed here; a feature module's models live in ``shebao/modules/<name>/models.py``
and are imported for every registered module, so adding a module needs no line here.
"""

import importlib
import importlib.util

from .accounts.models import Account, CaptchaChallenge, LoginThrottle, SecurityAnswer, SmsCode  # noqa: F401
from .audit import AuditEvent  # noqa: F401
from .modules.registry import all_modules
from .people.models import Person, PersonInsurance  # noqa: F401

for _name in all_modules():
    _module = f"{__package__}.modules.{_name}.models"
    if importlib.util.find_spec(f"{__package__}.modules.{_name}") and importlib.util.find_spec(
        _module
    ):
        importlib.import_module(_module)
