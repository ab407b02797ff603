"""Refusals of the staff console, with a message for the staff member."""

from __future__ import annotations

from ...account.errors import AccountError, FailedAttempt


class StaffError(AccountError):
    """A refused action: nothing changes (the view rolls the unit of work back); ``field``
    names the form field the message belongs to."""


class StaffFailedAttempt(FailedAttempt):
    """A refused login whose count must be kept (see ``account.errors.FailedAttempt``)."""
