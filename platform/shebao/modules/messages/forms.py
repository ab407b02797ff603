"""The message list's buttons: only the CSRF token (the message id is in the URL)."""

from __future__ import annotations

from ...web.forms import Form


class MarkReadForm(Form):
    """Mark as read, or mark all as read."""
