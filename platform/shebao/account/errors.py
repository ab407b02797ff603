"""Refusals that the account pages show next to a field (or above the form)."""

from __future__ import annotations

from datetime import datetime


class AccountError(Exception):
    """A refusal with a message for the user; ``field`` names the form field it belongs to.

    The view rolls the unit of work back: a refused operation changes nothing.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class FailedAttempt(AccountError):
    """A refusal whose record must be kept although the request is refused.

    Raised after the attempt has been counted (a wrong password or answer adds to the lockout
    count, a wrong SMS code uses up one of its checks) and audited: the view commits the unit of
    work before it shows the message, so the count holds for the next attempt.
    """


class LockedOut(FailedAttempt):
    def __init__(self, message: str, until: datetime):
        super().__init__(message)
        self.until = until
