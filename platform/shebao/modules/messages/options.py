"""``modules.messages`` in city YAML."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from ...messages.kinds import MessageKind
from ...tenancy.modules import ModuleOptions


class MessagesOptions(ModuleOptions):
    sms: frozenset[MessageKind] = frozenset()
    """Kinds of message also sent by SMS to the resident's reserved mobile, within the city's
    SMS limits (`auth.sms`): contributions_posted, order_paid, order_failed, order_expired,
    card_application_accepted, card_application_returned, photo_rejected,
    certificate_revoked, password_changed, password_reset, new_device_login."""

    page_size: Annotated[int, Field(ge=5, le=50)] = 10
    """Messages per page of the message list."""
