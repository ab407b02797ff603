"""The payments blueprint and its URL map (Flask's "centralized URL map" pattern).

The pages themselves are thin views in ``entry.py`` (starting a payment) and
``order.py`` (an order's pages and steps, the bank's notification): they parse the
request, call the services and render. Every step of an order is the order's own page
(``/payments/orders/<number>``), which shows what the order's state asks for next: confirm
or void, choose a bank, wait for the bank's answer, or the receipt. "Continue where it
stopped" is therefore just a link to that page.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint

from ....core.extensions import csrf
from .. import NAME
from . import entry, order

blueprint = Blueprint(
    NAME,
    __name__,
    # The module's folder (this package sits inside it) holds templates/ and static/.
    root_path=str(Path(__file__).resolve().parents[1]),
    template_folder="templates",
    static_folder="static",
    static_url_path="/payments/static",
)

GET_POST = ["GET", "POST"]
POST = ["POST"]
ROUTES = (
    ("/payments/flexible", entry.flexible, GET_POST),
    ("/payments/flexible-medical", entry.flexible_medical, GET_POST),
    ("/payments/resident-pension", entry.resident_pension, GET_POST),
    ("/payments/resident-medical", entry.resident_medical, GET_POST),
    ("/payments/orders", order.orders, ["GET"]),
    ("/payments/orders/<number>", order.order, ["GET"]),
    ("/payments/orders/<number>/confirm", order.confirm, POST),
    ("/payments/orders/<number>/void", order.void, POST),
    ("/payments/orders/<number>/back", order.back, POST),
    ("/payments/orders/<number>/pay", order.pay, POST),
    ("/payments/orders/<number>/check", order.check, POST),
    # The bank's server posts here: it has neither a session nor a CSRF token; the
    # notification's signature is what is checked.
    ("/payments/notify/<bank>", csrf.exempt(order.notify), POST),
)
for rule, view, methods in ROUTES:
    blueprint.add_url_rule(rule, endpoint=view.__name__, view_func=view, methods=methods)
