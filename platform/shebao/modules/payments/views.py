"""The payments blueprint and its URL map (Flask's "centralized URL map" pattern).

The pages themselves are thin views in ``entry_views.py`` (starting a payment) and
``order_views.py`` (an order's pages and steps, the bank's notification): they parse the
request, call the services and render. Every step of an order is the order's own page
(``/payments/orders/<number>``), which shows what the order's state asks for next: confirm
or void, choose a bank, wait for the bank's answer, or the receipt. "Continue where it
stopped" is therefore just a link to that page.
"""

from __future__ import annotations

from flask import Blueprint

from ...core.extensions import csrf
from . import NAME, entry_views, order_views

blueprint = Blueprint(
    NAME,
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/payments/static",
)

GET_POST = ["GET", "POST"]
POST = ["POST"]
ROUTES = (
    ("/payments/flexible", entry_views.flexible, GET_POST),
    ("/payments/flexible-medical", entry_views.flexible_medical, GET_POST),
    ("/payments/resident-pension", entry_views.resident_pension, GET_POST),
    ("/payments/resident-medical", entry_views.resident_medical, GET_POST),
    ("/payments/orders", order_views.orders, ["GET"]),
    ("/payments/orders/<number>", order_views.order, ["GET"]),
    ("/payments/orders/<number>/confirm", order_views.confirm, POST),
    ("/payments/orders/<number>/void", order_views.void, POST),
    ("/payments/orders/<number>/back", order_views.back, POST),
    ("/payments/orders/<number>/pay", order_views.pay, POST),
    ("/payments/orders/<number>/check", order_views.check, POST),
    # The bank's server posts here: it has neither a session nor a CSRF token; the
    # notification's signature is what is checked.
    ("/payments/notify/<bank>", csrf.exempt(order_views.notify), POST),
)
for rule, view, methods in ROUTES:
    blueprint.add_url_rule(rule, endpoint=view.__name__, view_func=view, methods=methods)
