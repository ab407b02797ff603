"""The sandbox bank: a simulated bank inside the app, for development and tests only.

Its pages (under ``/sandbox-bank/``, ``views.py``, registered only while this backend is
configured) show the amount and let the tester pay or decline. Paying records the payment in
the sandbox's ledger and builds the notification a real bank would post: a JSON body signed
with HMAC-SHA256 under ``SHEBAO_BANK_SECRET``, which a job posts over HTTP to the notify URL
(``notify.py``). The ledger, which the status query reads, is a table of the database
(``sandbox_ledger.py``), so the sandbox works the same with many workers and nodes.

Every method works in the caller's session (``db.session``); the caller's unit of work
commits, as for any other write.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from decimal import Decimal

from sqlalchemy import select

from ...core.extensions import db
from ...core.time import utcnow
from .port import BankNotice, BankStatus, InvalidNotification, PaymentRequest
from .sandbox_ledger import SandboxPayment

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

    @staticmethod
    def _row(city: str, bank: str, order_number: str, *, lock: bool = False):
        statement = select(SandboxPayment).where(
            SandboxPayment.city == city,
            SandboxPayment.bank == bank,
            SandboxPayment.order_number == order_number,
        )
        if lock:
            statement = statement.with_for_update()
        return db.session.scalars(statement).first()

    def start_payment(self, request: PaymentRequest) -> str:
        row = self._row(request.city, request.bank, request.order_number, lock=True)
        if row is None:
            row = SandboxPayment(
                city=request.city,
                bank=request.bank,
                order_number=request.order_number,
                opened_at=utcnow(),
            )
            db.session.add(row)
        row.amount = request.amount
        row.return_path = request.return_path
        row.notify_path = request.notify_path
        db.session.flush()
        return f"/sandbox-bank/{request.bank}/{request.order_number}"

    def payment_request(self, city: str, bank: str, order_number: str) -> PaymentRequest | None:
        row = self._row(city, bank, order_number)
        if row is None:
            return None
        return PaymentRequest(
            city=row.city,
            bank=row.bank,
            order_number=row.order_number,
            amount=row.amount,
            return_path=row.return_path,
            notify_path=row.notify_path,
        )

    def settle(self, city: str, bank: str, order_number: str, outcome: str) -> tuple[bytes, str]:
        """The tester paid or declined: record it and return the signed notification.

        A payment once paid stays paid (paying again repeats the same notification)."""
        if outcome not in OUTCOMES:
            raise ValueError(outcome)
        row = self._row(city, bank, order_number, lock=True)
        if row is None:
            raise KeyError(order_number)
        if row.outcome != "paid":
            row.outcome = outcome
            row.transaction_id = "SBX" + secrets.token_hex(12)
            row.settled_at = utcnow()
            db.session.flush()
        body = notice_body(_notice(row))
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
        row = self._row(city, bank, order_number)
        if row is None or row.outcome is None:
            return BankStatus("unknown")
        return BankStatus(row.outcome, _notice(row))


def _notice(row: SandboxPayment) -> BankNotice:
    return BankNotice(
        city=row.city,
        bank=row.bank,
        order_number=row.order_number,
        transaction_id=row.transaction_id or "",
        amount=row.amount,
        outcome=row.outcome or "",
    )
