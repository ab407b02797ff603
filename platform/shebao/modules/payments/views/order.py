"""An order's pages and steps: the list, the order's page (whatever its state asks for next),
confirm, void, back, pay, the status query, and the bank's notification. The URLs are in
``views.py``.

Each step that changes rows ends its unit of work with ``unit_of_work()``. Paying spans the
bank: the bank opens the payment first (nothing written while it answers), then the move to
paying is its own unit of work; the status query likewise asks first, then records.
"""

from __future__ import annotations

import re

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _

from ....core.extensions import limiter
from ....core.i18n import label_text
from ....core.transactions import unit_of_work
from ....integrations.bank import SIGNATURE_HEADER, BankError, bank_gateway
from ....people.current import current_person
from ....web.queries import QueryError, parse_page
from .. import NAME, services
from ..forms import ActionForm, BankForm
from ..labels import kind_label
from ..models import PaymentOrder
from ..states import OrderStatus
from .pages import options, order_or_404, page

BANK_CODE = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
MAX_NOTIFICATION = 8192
MAX_SIGNATURE = 128
PLAIN = {"Content-Type": "text/plain"}
#: Notifications one client address may post per minute: a bank's notifier sends far fewer,
#: and retries what was answered 429; the status query and the expiry run catch up meanwhile.
NOTIFY_LIMIT = "120/minute"


def orders():
    result = None
    error = None
    try:
        result = services.orders_page(
            g.city, current_person(), parse_page(request.args.get("page"))
        )
    except QueryError as problem:
        error = str(problem)
    return page(
        "payments/orders.html",
        title=g.city.entry_label(NAME, "orders"),
        page=result,
        error=error,
        action_form=ActionForm(),
        kind_label=lambda order: kind_label(g.city, order),
        summarise=services.summarise,
    )


def order(number: str):
    order = order_or_404(number)
    bank_form = BankForm()
    bank_form.bank.choices = _banks()
    if order.bank:
        bank_form.bank.data = order.bank
    elif bank_form.bank.choices:
        bank_form.bank.data = bank_form.bank.choices[0][0]
    return _render_order(order, bank_form)


def _banks() -> list[tuple[str, str]]:
    return [(bank.code, label_text(bank.name)) for bank in options().banks]


def _flow(order: PaymentOrder) -> str:
    """review (Dezhou's flexible flow) or confirm (every other flow)."""
    flexible = options().flexible
    if order.kind == "flexible" and flexible is not None:
        return flexible.flow
    return "confirm"


def _render_order(order: PaymentOrder, bank_form: BankForm, error: str | None = None):
    return page(
        "payments/order.html",
        title=_("Order %(number)s", number=order.number),
        order=order,
        status=OrderStatus(order.status),
        flow=_flow(order),
        summary=services.summarise(order),
        kind=kind_label(g.city, order),
        bank_form=bank_form,
        action_form=ActionForm(),
        bank_name=dict(_banks()).get(order.bank or "", order.bank),
        error=error,
        online=bank_gateway().backend != "off",
    )


def _to_order(number: str):
    return redirect(url_for("payments.order", number=number))


def confirm(number: str):
    order = order_or_404(number)
    if ActionForm().validate_on_submit():
        with unit_of_work():
            confirmed = services.confirm(g.city, order)
        if not confirmed:
            flash(_("This order can no longer be confirmed."), "error")
    return _to_order(number)


def void(number: str):
    order = order_or_404(number)
    if ActionForm().validate_on_submit():
        with unit_of_work():
            voided = services.void(g.city, order)
        if voided:
            flash(_("The order has been voided."), "info")
        else:
            flash(_("This order can no longer be voided."), "error")
    if request.form.get("from") == "orders":
        return redirect(url_for("payments.orders"))
    return _to_order(number)


def back(number: str):
    """上一步 on the review page: void the order and return to the form with its choices."""
    order = order_or_404(number)
    if not ActionForm().validate_on_submit():
        return _to_order(number)
    with unit_of_work():
        services.void(g.city, order, cause="resident: back")
    summary = services.summarise(order)
    if order.kind != "flexible" or not summary:
        return redirect(url_for(f"payments.{order.kind}"))
    return redirect(
        url_for(
            f"payments.{order.entry}",
            start=min(part.first for part in summary).strftime("%Y-%m"),
            end=max(part.last for part in summary).strftime("%Y-%m"),
            base=f"{summary[0].base:.2f}",
            types=[part.insurance_type for part in summary],
        )
    )


def pay(number: str):
    """立即支付: the bank opens the payment, then the order moves to paying."""
    order = order_or_404(number)
    form = BankForm()
    form.bank.choices = _banks()
    if not form.validate_on_submit():
        return _to_order(number)
    bank = form.bank.data or ""
    try:
        target = services.open_bank_payment(
            g.city,
            order,
            bank,
            [code for code, _label in form.bank.choices],
            return_path=url_for("payments.order", number=number),
            notify_path=url_for("payments.notify", bank=bank or "-"),
        )
        with unit_of_work():
            services.mark_paying(g.city, order, bank)
    except services.PaymentRefused as refusal:
        return _render_order(order_or_404(number), form, str(refusal)), 409
    return redirect(target)


def check(number: str):
    """支付成功 / 支付失败: either button asks the bank; the bank's answer decides."""
    order = order_or_404(number)
    if not ActionForm().validate_on_submit():
        return _to_order(number)
    try:
        answer = services.ask_bank(g.city, order)
    except BankError:
        flash(_("Online payment is not available at the moment. Please try again later."), "error")
        return _to_order(number)
    with unit_of_work():
        outcome = services.record_bank_answer(g.city, order, answer)
    if outcome == "unknown":
        flash(
            _(
                "The bank has not received a payment for this order. You can pay again or void the order."
            ),
            "info",
        )
    return _to_order(number)


@limiter.limit(NOTIFY_LIMIT)
def notify(bank: str):
    """The bank's signed notification, server to server: no session, no CSRF token.

    Rate-limited per client address; the refused ones are tallied in the audit log per address
    and minute, so a flood of forgeries fills neither the workers nor the audit table.
    """
    if not BANK_CODE.match(bank):
        return "REFUSED", 400, PLAIN
    body = request.get_data(cache=False, as_text=False)[:MAX_NOTIFICATION]
    signature = request.headers.get(SIGNATURE_HEADER, "")[:MAX_SIGNATURE]
    with unit_of_work():
        result = services.handle_notification(g.city, bank, body, signature)
    if result == "refused":
        return "REFUSED", 400, PLAIN
    return f"OK {result}", 200, PLAIN
