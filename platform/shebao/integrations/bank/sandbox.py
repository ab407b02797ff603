"""The sandbox bank: a simulated bank inside the app, for development and tests only.

Its pages (under ``/sandbox-bank/``, ``views.py``, registered only while this backend is
configured) show the amount and let the tester pay or decline. Paying records the payment in
the sandbox's ledger and builds the notification a real bank would post: a JSON body signed
with HMAC-SHA256 under ``SHEBAO_BANK_SECRET``, posted to the notify path the payment request
named, through the app's own WSGI interface. The ledger, which the status query reads, lives
in this process's memory: the sandbox serves one process (``make run``, the tests), not
several workers or nodes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import threading
from decimal import Decimal

from .port import BankNotice, BankStatus, InvalidNotification, PaymentRequest

OUTCOMES = ("paid", "declined")
_AMOUNT = re.compile(r"^[0-9]{1,10}\.[0-9]{2}$")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_BODY = 4096


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def notice_body(notice: BankNotice) -> bytes:
    return json.dumps(
        {
            "city": notice.city,
            "bank": notice.bank,
            "order": notice.order_number,
            "transaction": notice.transaction_id,
            "amount": f"{notice.amount:.2f}",
            "outcome": notice.outcome,
        },
        sort_keys=True,
        separators=(",", ":"),
    ).encode()


def parse_notice(body: bytes) -> BankNotice:
    """The notice in a verified body; ``InvalidNotification`` when any field is malformed."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise InvalidNotification("body is not JSON") from None
    if not isinstance(data, dict):
        raise InvalidNotification("body is not a JSON object")
    fields = ("city", "bank", "order", "transaction", "amount", "outcome")
    if set(data) != set(fields) or not all(isinstance(data[f], str) for f in fields):
        raise InvalidNotification("fields missing, unknown or not strings")
    for name in ("city", "bank", "order", "transaction"):
        if not _TOKEN.match(data[name]):
            raise InvalidNotification(f"malformed {name}")
    if not _AMOUNT.match(data["amount"]):
        raise InvalidNotification("malformed amount")
    if data["outcome"] not in OUTCOMES:
        raise InvalidNotification("unknown outcome")
    return BankNotice(
        city=data["city"],
        bank=data["bank"],
        order_number=data["order"],
        transaction_id=data["transaction"],
        amount=Decimal(data["amount"]),
        outcome=data["outcome"],
    )


class SandboxBank:
    backend = "sandbox"

    def __init__(self, secret: str):
        self.secret = secret
        self._lock = threading.Lock()
        #: (city, bank, order number) → the payment's notice (the bank's own records).
        self._ledger: dict[tuple[str, str, str], BankNotice] = {}
        #: (city, bank, order number) → what the platform asked for.
        self._requests: dict[tuple[str, str, str], PaymentRequest] = {}

    def start_payment(self, request: PaymentRequest) -> str:
        with self._lock:
            self._requests[(request.city, request.bank, request.order_number)] = request
        return f"/sandbox-bank/{request.bank}/{request.order_number}"

    def payment_request(self, city: str, bank: str, order_number: str) -> PaymentRequest | None:
        with self._lock:
            return self._requests.get((city, bank, order_number))

    def settle(self, city: str, bank: str, order_number: str, outcome: str) -> tuple[bytes, str]:
        """The tester paid or declined: record it and return the signed notification."""
        if outcome not in OUTCOMES:
            raise ValueError(outcome)
        key = (city, bank, order_number)
        with self._lock:
            request = self._requests.get(key)
            if request is None:
                raise KeyError(order_number)
            amount = request.amount
            notice = self._ledger.get(key)
            if notice is None or notice.outcome != "paid":
                notice = BankNotice(
                    city=city,
                    bank=bank,
                    order_number=order_number,
                    transaction_id="SBX" + secrets.token_hex(12),
                    amount=amount,
                    outcome=outcome,
                )
                self._ledger[key] = notice
        body = notice_body(notice)
        return body, sign(self.secret, body)

    def verify_notification(self, bank: str, body: bytes, signature: str) -> BankNotice:
        if len(body) > MAX_BODY or not isinstance(signature, str) or len(signature) != 64:
            raise InvalidNotification("bad signature")
        if not hmac.compare_digest(sign(self.secret, body), signature.lower()):
            raise InvalidNotification("bad signature")
        notice = parse_notice(body)
        if notice.bank != bank:
            raise InvalidNotification("notification for another bank")
        return notice

    def query_status(self, city: str, bank: str, order_number: str) -> BankStatus:
        with self._lock:
            notice = self._ledger.get((city, bank, order_number))
        if notice is None:
            return BankStatus("unknown")
        return BankStatus(notice.outcome, notice)
