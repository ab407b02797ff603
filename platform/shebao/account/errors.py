"""Refusals that the account pages show next to a field (or above the form)."""

from __future__ import annotations

from datetime import datetime


class AccountError(Exception):
    """A refusal with a message for the user; ``field`` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class LockedOut(AccountError):
    def __init__(self, message: str, until: datetime):
        super().__init__(message)
        self.until = until
