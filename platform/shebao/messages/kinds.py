"""The kinds of message and their texts (English source, translated by the catalogues).

A message keeps its kind and parameters; its title and body are rendered here, in the
reader's language, each time it is shown (and in the city's language for an SMS).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l

from ..core.money import format_money


class MessageKind(StrEnum):
    CONTRIBUTIONS_POSTED = "contributions_posted"
    ORDER_PAID = "order_paid"
    ORDER_FAILED = "order_failed"
    ORDER_EXPIRED = "order_expired"
    CARD_APPLICATION_ACCEPTED = "card_application_accepted"
    CARD_APPLICATION_RETURNED = "card_application_returned"
    PHOTO_REJECTED = "photo_rejected"
    CERTIFICATE_REVOKED = "certificate_revoked"
    PASSWORD_CHANGED = "password_changed"
    PASSWORD_RESET = "password_reset"
    NEW_DEVICE_LOGIN = "new_device_login"


@dataclass(frozen=True)
class KindText:
    title: Any  # lazy gettext
    #: English source with ``%(name)s`` placeholders for the message's parameters.
    body: str
    #: How a parameter is shown, by name (default: as stored).
    formats: Mapping[str, Callable[[Any], str]] = field(default_factory=dict)


def _money(value: Any) -> str:
    return format_money(value)


# Lazy strings: each is translated into the language current when it is shown.
TEXTS: dict[MessageKind, KindText] = {
    MessageKind.CONTRIBUTIONS_POSTED: KindText(
        _l("Contributions recorded"),
        _l(
            "%(months)s months of contributions, from %(first)s to %(last)s, were recorded "
            "in your contribution history."
        ),
    ),
    MessageKind.ORDER_PAID: KindText(
        _l("Payment received"),
        _l(
            "Your payment of %(amount)s yuan for order %(order)s was received. The months it "
            "pays for are in your contribution history."
        ),
        {"amount": _money},
    ),
    MessageKind.ORDER_FAILED: KindText(
        _l("Payment failed"),
        _l(
            "The bank reports that the payment for order %(order)s failed. Nothing was "
            "charged; you can pay the months in a new order."
        ),
    ),
    MessageKind.ORDER_EXPIRED: KindText(
        _l("Order expired"),
        _l(
            "Order %(order)s was not paid in time and has been closed. You can pay its "
            "months in a new order."
        ),
    ),
    MessageKind.CARD_APPLICATION_ACCEPTED: KindText(
        _l("Card application accepted"),
        _l(
            "Your social security card application was accepted. The card will be made and "
            "sent to the collection point you chose."
        ),
    ),
    MessageKind.CARD_APPLICATION_RETURNED: KindText(
        _l("Card application returned"),
        _l(
            "Your social security card application was returned: %(reason)s. Please correct "
            "it and submit it again."
        ),
    ),
    MessageKind.PHOTO_REJECTED: KindText(
        _l("Card photo not accepted"),
        _l("Your card photo was not accepted: %(reason)s. Please upload a new photo."),
    ),
    MessageKind.CERTIFICATE_REVOKED: KindText(
        _l("Certificate revoked"),
        _l(
            "Certificate %(serial)s has been revoked: %(reason)s. It no longer verifies as "
            "genuine; print a new one if you need it."
        ),
    ),
    MessageKind.PASSWORD_CHANGED: KindText(
        _l("Password changed"),
        _l(
            "The password of your account was changed, and your other sessions were logged "
            "out. If you did not do this, call the service hotline at once."
        ),
    ),
    MessageKind.PASSWORD_RESET: KindText(
        _l("Password reset"),
        _l(
            "Forgot password was used for your account: a new password was sent to your "
            "reserved mobile, or set after answering your security questions. If you did not "
            "do this, call the service hotline at once."
        ),
    ),
    MessageKind.NEW_DEVICE_LOGIN: KindText(
        _l("Login from a new device"),
        _l(
            "Your account was logged in from a device or browser not used before. If this "
            "was not you, change your password at once."
        ),
    ),
}


def kind_title(kind: str) -> str:
    text = TEXTS.get(_known(kind))
    return str(text.title) if text else kind


def kind_body(kind: str, params: Mapping[str, Any]) -> str:
    """The body in the current language, its placeholders filled from ``params`` (a missing
    one shows empty, never an error)."""
    text = TEXTS.get(_known(kind))
    if text is None:
        return ""
    values = {name: text.formats.get(name, str)(value) for name, value in (params or {}).items()}
    return str(text.body) % _Filled(values)


class _Filled(dict):
    def __missing__(self, key: str) -> str:
        return ""


def _known(kind: str) -> MessageKind | None:
    try:
        return MessageKind(kind)
    except ValueError:
        return None
