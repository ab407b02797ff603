"""The bank port: the platform takes payments through a ``BankGateway`` (see ``port.py``).

``factory.py`` picks the backend from the settings; ``sandbox.py`` and ``views.py`` are the
simulated bank of development and tests (refused in production).
"""

from .factory import bank_gateway, create_bank_gateway
from .port import (
    SIGNATURE_HEADER,
    BankError,
    BankGateway,
    BankNotice,
    BankStatus,
    BankUnavailable,
    InvalidNotification,
    NoBank,
    PaymentRequest,
)

__all__ = [
    "BankError",
    "BankGateway",
    "BankNotice",
    "BankStatus",
    "BankUnavailable",
    "InvalidNotification",
    "NoBank",
    "PaymentRequest",
    "SIGNATURE_HEADER",
    "bank_gateway",
    "create_bank_gateway",
]
