"""Imports every model so that the metadata (and Alembic) sees all tables."""

from .accounts.models import Account, CaptchaChallenge, LoginThrottle, SecurityAnswer, SmsCode  # noqa: F401
from .audit import AuditEvent  # noqa: F401
from .people.models import Person, PersonInsurance  # noqa: F401
