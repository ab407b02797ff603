"""The bank port: the platform takes payments through a ``BankGateway``.

A gateway starts a payment (it answers where to send the browser), verifies a notification
the bank sends server to server, and answers the platform's status query about an order.
The browser coming back from the bank never marks an order paid by itself: only a verified
notification or the status query does.

Backends: ``sandbox`` (a simulated bank inside the app, pages under ``/sandbox-bank/``; a
sandbox backend, refused when ``SHEBAO_ENV=production``) and ``off`` (no online payment:
the payment pages say so). A real bank's backend implements the same three methods.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

#: The HTTP header carrying a notification's signature.
SIGNATURE_HEADER = "X-Shebao-Signature"


class BankError(RuntimeError):
    """The bank cannot be reached or refused to start a payment."""


class BankUnavailable(BankError):
    """No bank backend is configured (``SHEBAO_BANK_BACKEND=off``)."""


class InvalidNotification(ValueError):
    """A notification that must not be trusted: bad signature, malformed, or not ours."""


@dataclass(frozen=True)
class PaymentRequest:
    city: str
    bank: str
    order_number: str
    amount: Decimal
    #: Where the bank sends the browser back to (a path on the city's host).
    return_path: str
    #: Where the bank posts its signed notification (a path on the city's host).
    notify_path: str | None = None


@dataclass(frozen=True)
class BankNotice:
    """What a verified notification (or a status query) says about one payment."""

    city: str
    bank: str
    order_number: str
    transaction_id: str
    amount: Decimal
    #: paid or declined.
    outcome: str


@dataclass(frozen=True)
class BankStatus:
    """The bank's answer to a status query: paid, declined or unknown (nothing received)."""

    outcome: str
    notice: BankNotice | None = None


class BankGateway(Protocol):
    backend: str

    def start_payment(self, request: PaymentRequest) -> str:
        """Open a payment at the bank; returns the URL to send the browser to."""

    def verify_notification(self, bank: str, body: bytes, signature: str) -> BankNotice:
        """The notice in ``body`` when ``signature`` proves the bank sent it; else raises
        ``InvalidNotification``."""

    def query_status(self, city: str, bank: str, order_number: str) -> BankStatus:
        """Ask the bank what became of the payment of ``order_number``."""


class NoBank:
    """``SHEBAO_BANK_BACKEND=off``: online payment is switched off."""

    backend = "off"

    def start_payment(self, request: PaymentRequest) -> str:
        raise BankUnavailable("online payment is switched off (SHEBAO_BANK_BACKEND=off)")

    def verify_notification(self, bank: str, body: bytes, signature: str) -> BankNotice:
        raise InvalidNotification("online payment is switched off")

    def query_status(self, city: str, bank: str, order_number: str) -> BankStatus:
        return BankStatus("unknown")
