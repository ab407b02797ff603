"""The rules of payments, one module per responsibility:

- ``orders``: creating orders (amounts from the city's rules; months paid or held refused);
- ``reading``: a person's orders, one order by number, summaries;
- ``transitions``: the state machine's conditional moves, and starting a payment at a bank;
- ``bank_results``: the bank's notifications and the answers to status queries;
- ``expiry``: expiring stale orders, and the payments kept for refund.

Every function takes the city explicitly and filters by it (the request's automatic scoping
is only a safety net). None commits or rolls back: the view or command that started the
unit of work ends it with ``core.transactions.unit_of_work()``. An operation that spans a
call to the bank is split so that no unit of work stays open while the bank answers.
"""

from .bank_results import apply_bank_result, ask_bank, handle_notification, record_bank_answer
from .expiry import ExpiryResult, RefundDue, expire_order, refunds_due, stale_order_numbers
from .orders import (
    KINDS,
    Preview,
    create_order,
    flexible_order,
    preview_flexible,
    resident_medical_order,
    resident_pension_order,
)
from .reading import (
    Periods,
    find_order,
    open_orders,
    order_by_number,
    orders_page,
    summarise,
)
from .refusals import PaymentRefused
from .transitions import confirm, mark_paying, open_bank_payment, void

__all__ = [
    "KINDS",
    "ExpiryResult",
    "PaymentRefused",
    "Periods",
    "Preview",
    "RefundDue",
    "apply_bank_result",
    "ask_bank",
    "confirm",
    "create_order",
    "expire_order",
    "find_order",
    "flexible_order",
    "handle_notification",
    "mark_paying",
    "open_bank_payment",
    "open_orders",
    "order_by_number",
    "orders_page",
    "preview_flexible",
    "record_bank_answer",
    "refunds_due",
    "resident_medical_order",
    "resident_pension_order",
    "stale_order_numbers",
    "summarise",
    "void",
]
