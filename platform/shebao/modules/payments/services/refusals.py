"""What a payment service raises when a rule refuses the resident's request."""

from __future__ import annotations


class PaymentRefused(ValueError):
    """A rule refuses the request; ``str(error)`` is the message for the resident.

    ``field`` names the form field the message belongs next to (None: the whole form). The
    unit of work that was running ends with it (rolled back): nothing the attempt wrote stays.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
