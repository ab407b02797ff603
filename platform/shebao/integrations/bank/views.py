"""The sandbox bank's pages (``/sandbox-bank/<bank>/<order>``): development and tests only.

Registered by the app factory only while ``SHEBAO_BANK_BACKEND=sandbox`` (which production
refuses). The page shows what the platform asked for and lets the tester pay, decline, or pay
without notifying; the notification goes to the notify path of the payment request, signed,
through the app's own WSGI interface, exactly as a real bank's server would post it. The
bank knows no feature: it sees a payment request, never an order.
"""

from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, g, redirect, render_template, request
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.test import Client

from .factory import bank_gateway
from .port import SIGNATURE_HEADER

blueprint = Blueprint(
    "sandbox_bank", __name__, url_prefix="/sandbox-bank", template_folder="templates"
)
ACTIONS = ("paid", "declined", "paid_silently")
log = logging.getLogger("shebao.bank")


class SandboxForm(FlaskForm):
    """CSRF only: the tester's choice is the button pressed."""


def _notify(path: str, body: bytes, signature: str) -> int:
    """Post the notification as the bank's server would, to this city's host, through the
    app's own WSGI interface (a plain WSGI client: no test-client context is kept). The
    answer is the platform's; its status code is returned for the log."""
    client = Client(current_app.wsgi_app)
    response = client.post(
        path,
        base_url=f"{request.scheme}://{request.host}",
        data=body,
        headers={"Content-Type": "application/json", SIGNATURE_HEADER: signature},
    )
    if response.status_code != 200:
        log.warning("sandbox bank: the platform answered %s to a notification", response.status)
    return response.status_code


@blueprint.route("/<bank>/<number>", methods=["GET", "POST"])
def pay(bank: str, number: str):
    gateway = bank_gateway()
    if gateway.backend != "sandbox":
        abort(404)
    payment = gateway.payment_request(g.city.code, bank, number)
    if payment is None:
        abort(404)
    form = SandboxForm()
    if form.validate_on_submit():
        action = request.form.get("action", "")
        if action in ACTIONS:
            body, signature = gateway.settle(
                g.city.code, bank, number, "declined" if action == "declined" else "paid"
            )
            if action != "paid_silently" and payment.notify_path:
                _notify(payment.notify_path, body, signature)
            return redirect(payment.return_path)
    g.personal_data = True
    return render_template(
        "sandbox_bank/pay.html",
        title=_("Sandbox bank: %(bank)s", bank=bank),
        payment=payment,
        form=form,
    )
