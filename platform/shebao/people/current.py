"""The person behind the logged-in account (views use it; services take the person explicitly)."""

from __future__ import annotations

from flask_login import current_user

from .models import Person


def current_person() -> Person:
    """The logged-in resident's Person (module pages are behind the login gate)."""
    return current_user.person
