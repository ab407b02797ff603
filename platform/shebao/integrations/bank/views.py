"""The sandbox bank's pages (``/sandbox-bank/<bank>/<order>``): development and tests only.

Registered by the app factory only while ``SHEBAO_BANK_BACKEND=sandbox`` (which production
refuses). The page shows what the platform asked for and lets the tester pay, decline, or pay
without notifying. The choice is committed to the sandbox's ledger first; then a job posts
the signed notification over HTTP to the notify path of the payment request on this city's
host (``notify.py``), as a real bank's server would. The bank knows no feature: it sees a
payment request, never an order.
"""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, request
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from ...core.jobs import enqueue
from ...core.transactions import unit_of_work
from .factory import bank_gateway
from .notify import deliver_notification

blueprint = Blueprint(
    "sandbox_bank", __name__, url_prefix="/sandbox-bank", template_folder="templates"
)
ACTIONS = ("paid", "declined", "paid_silently")


class SandboxForm(FlaskForm):
    """CSRF only: the tester's choice is the button pressed."""


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
            with unit_of_work():
                body, signature = gateway.settle(
                    g.city.code, bank, number, "declined" if action == "declined" else "paid"
                )
            if action != "paid_silently" and payment.notify_path:
                url = request.host_url.rstrip("/") + payment.notify_path
                enqueue(deliver_notification, url, body.decode(), signature)
            return redirect(payment.return_path)
    g.personal_data = True
    return render_template(
        "sandbox_bank/pay.html",
        title=_("Sandbox bank: %(bank)s", bank=bank),
        payment=payment,
        form=form,
    )
