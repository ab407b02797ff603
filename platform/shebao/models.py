"""Imports every model so that the metadata (and Alembic) sees all tables."""

from .people.models import Person, PersonInsurance  # noqa: F401
