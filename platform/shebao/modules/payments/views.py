"""Payment pages: thin views over the services.

Every step of an order is the order's own page (``/payments/orders/<number>``), which shows
what the order's state asks for next: confirm or void, choose a bank, wait for the bank's
answer, or the receipt. "Continue where it stopped" is therefore just a link to that page.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from ...core import time as clock
from ...core.extensions import csrf
from ...core.i18n import label_text
from ...integrations.bank import SIGNATURE_HEADER, bank_gateway
from ...people.current import current_person
from ...web.queries import QueryError, parse_page
from ...web.templating import render
from . import NAME, amounts, services
from .forms import ActionForm, BankForm, FlexibleForm, ResidentMedicalForm, ResidentPensionForm
from .states import OrderStatus, status_label

blueprint = Blueprint(
    NAME,
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/payments/static",
)
_BANK_CODE = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


def local_time(moment) -> str:
    """A UTC timestamp as Beijing time, YYYY-MM-DD HH:MM."""
    return moment.astimezone(services.LOCAL).strftime("%Y-%m-%d %H:%M") if moment else ""


def _page(name: str, **context):
    return render(name, local_time=local_time, status_label=status_label, **context)


def _options():
    return g.city.options(NAME)


def _order_or_404(number: str):
    order = services.find_order(g.city.code, current_person(), number)
    if order is None:
        abort(404)
    return order


def _attach(form, error: services.PaymentRefused) -> str | None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
        return None
    return str(error)


# --- flexible employment -------------------------------------------------------------------


def _flexible(entry: str, types: list[str]):
    options = _options().flexible
    today = clock.local_today()
    form = FlexibleForm()
    form.types.choices = [(kind, _type_label(kind)) for kind in types]
    if request.method == "GET" and not form.types.data:
        form.types.data = list(types)
        for name in ("start", "end", "base"):
            value = request.args.get(name, "")
            if value and len(value) <= 16:
                getattr(form, name).data = value
        if request.args.get("types"):
            form.types.data = [t for t in request.args.getlist("types") if t in types]
    error = None
    preview = None
    if form.validate_on_submit():
        chosen = [kind for kind in (form.types.data or []) if kind in types]
        try:
            base = Decimal(form.base.data)
        except InvalidOperation:
            form.base.errors = [_("Enter the base in yuan, for example 4500.")]
        else:
            if not chosen:
                form.types.errors = [_("Choose at least one insurance type.")]
            elif request.form.get("action") == "preview":
                try:
                    preview = services.preview_flexible(
                        options, form.start.parsed, form.end.parsed, chosen, base, today
                    )
                except services.PaymentRefused as refusal:
                    error = _attach(form, refusal)
            else:
                try:
                    order = services.flexible_order(
                        g.city,
                        current_person(),
                        entry,
                        form.start.parsed,
                        form.end.parsed,
                        chosen,
                        base,
                        today,
                    )
                except services.PaymentRefused as refusal:
                    error = _attach(form, refusal)
                else:
                    return redirect(url_for("payments.order", number=order.number))
    first, last = amounts.allowed_window(options.window_months, today)
    rules = [
        (year, rule)
        for year, rule in sorted(options.years.items())
        if year >= first.year - 1 or year == max(options.years)
    ]
    return _page(
        "payments/flexible.html",
        title=g.city.entry_label(NAME, entry),
        form=form,
        error=error,
        preview=preview,
        flow=options.flow,
        first=first,
        last=last,
        rules=rules,
        types=types,
        type_label=_type_label,
    )


def _type_label(kind: str) -> str:
    labels = {
        "pension": _("Pension insurance"),
        "medical": _("Medical insurance"),
        "resident_pension": _("Resident pension insurance"),
        "resident_medical": _("Resident medical insurance"),
    }
    return labels.get(kind, kind)


@blueprint.route("/payments/flexible", methods=["GET", "POST"])
def flexible():
    types = list(_options().flexible.types)
    if _in_menu("flexible_medical") and len(types) > 1:
        # Dezhou: 灵活就业社保缴费 pays pension; medical has its own page (灵活就业医保缴费).
        types = [kind for kind in types if kind != "medical"]
    return _flexible("flexible", types)


def _in_menu(key: str) -> bool:
    return any(
        link.module == NAME and link.key == key for menu in g.city.menus for link in menu.links
    )


@blueprint.route("/payments/flexible-medical", methods=["GET", "POST"])
def flexible_medical():
    return _flexible("flexible_medical", ["medical"])


# --- resident pension and medical ----------------------------------------------------------


@blueprint.route("/payments/resident-pension", methods=["GET", "POST"])
def resident_pension():
    options = _options().resident_pension
    today = clock.local_today()
    years = [today.year] if amounts.resident_pension_grades(options, today.year) else []
    form = ResidentPensionForm()
    form.year.choices = [(str(y), str(y)) for y in years]
    grades = amounts.resident_pension_grades(options, today.year)
    form.grade.choices = [(str(grade), f"{grade:,.2f}") for grade in grades]
    error = None
    if form.validate_on_submit():
        try:
            year = int(form.year.data) if (form.year.data or "").isdigit() else -1
            if year not in years:
                raise services.PaymentRefused(_("Choose a year from the list."), "year")
            try:
                grade = Decimal(form.grade.data or "")
            except InvalidOperation:
                raise services.PaymentRefused(_("Choose a grade from the list."), "grade") from None
            order = services.resident_pension_order(g.city, current_person(), year, grade)
        except services.PaymentRefused as refusal:
            error = _attach(form, refusal)
        else:
            return redirect(url_for("payments.order", number=order.number))
    return _page(
        "payments/resident_pension.html",
        title=g.city.entry_label(NAME, "resident_pension"),
        form=form,
        error=error,
        years=years,
    )


@blueprint.route("/payments/resident-medical", methods=["GET", "POST"])
def resident_medical():
    options = _options().resident_medical
    today = clock.local_today()
    years = amounts.open_medical_years(options, today)
    form = ResidentMedicalForm()
    form.year.choices = [
        (str(y), _("%(year)s: %(amount)s yuan", year=y, amount=f"{options.years[y].amount:,.2f}"))
        for y in years
    ]
    if request.method == "GET" and years:
        form.year.data = str(years[0])
    error = None
    if form.validate_on_submit():
        year = (
            int(form.year.data)
            if (form.year.data or "").isdigit() and len(form.year.data) == 4
            else -1
        )
        try:
            order = services.resident_medical_order(g.city, current_person(), year, today)
        except services.PaymentRefused as refusal:
            error = _attach(form, refusal)
        else:
            return redirect(url_for("payments.order", number=order.number))
    return _page(
        "payments/resident_medical.html",
        title=g.city.entry_label(NAME, "resident_medical"),
        form=form,
        error=error,
        years=years,
        rules=options.years,
    )


# --- orders --------------------------------------------------------------------------------


@blueprint.route("/payments/orders")
def orders():
    person = current_person()
    page = None
    error = None
    try:
        page = services.orders_page(g.city.code, person, parse_page(request.args.get("page")))
    except QueryError as problem:
        error = str(problem)
    return _page(
        "payments/orders.html",
        title=g.city.entry_label(NAME, "orders"),
        page=page,
        error=error,
        action_form=ActionForm(),
        kind_label=kind_label,
        summarise=services.summarise,
        type_label=_type_label,
    )


def kind_label(order) -> str:
    if order.kind == "flexible":
        return g.city.entry_label(
            NAME, order.entry if order.entry in ("flexible", "flexible_medical") else "flexible"
        )
    return g.city.entry_label(NAME, order.kind)


def _flow(order) -> str:
    """review (Dezhou's flexible flow) or confirm (every other flow)."""
    flexible = _options().flexible
    if order.kind == "flexible" and flexible is not None:
        return flexible.flow
    return "confirm"


def _banks():
    return [(bank.code, label_text(bank.name)) for bank in _options().banks]


@blueprint.route("/payments/orders/<number>")
def order(number: str):
    order = _order_or_404(number)
    bank_form = BankForm()
    bank_form.bank.choices = _banks()
    if order.bank:
        bank_form.bank.data = order.bank
    elif _banks():
        bank_form.bank.data = _banks()[0][0]
    return _render_order(order, bank_form)


def _render_order(order, bank_form, error=None):
    status = OrderStatus(order.status)
    return _page(
        "payments/order.html",
        title=_("Order %(number)s", number=order.number),
        order=order,
        status=status,
        flow=_flow(order),
        summary=services.summarise(order),
        kind=kind_label(order),
        bank_form=bank_form,
        action_form=ActionForm(),
        bank_name=dict(_banks()).get(order.bank or "", order.bank),
        error=error,
        type_label=_type_label,
        online=bank_gateway().backend != "off",
    )


@blueprint.post("/payments/orders/<number>/confirm")
def confirm(number: str):
    order = _order_or_404(number)
    if ActionForm().validate_on_submit() and not services.confirm(order):
        flash(_("This order can no longer be confirmed."), "error")
    return redirect(url_for("payments.order", number=number))


@blueprint.post("/payments/orders/<number>/void")
def void(number: str):
    order = _order_or_404(number)
    if ActionForm().validate_on_submit():
        if services.void(order):
            flash(_("The order has been voided."), "info")
        else:
            flash(_("This order can no longer be voided."), "error")
    if request.form.get("from") == "orders":
        return redirect(url_for("payments.orders"))
    return redirect(url_for("payments.order", number=number))


@blueprint.post("/payments/orders/<number>/back")
def back(number: str):
    """上一步 on the review page: void the order and return to the form with its choices."""
    order = _order_or_404(number)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("payments.order", number=number))
    services.void(order, cause="resident: back")
    summary = services.summarise(order)
    if order.kind != "flexible" or not summary:
        return redirect(url_for(f"payments.{order.kind}"))
    first = min(s.first for s in summary)
    last = max(s.last for s in summary)
    return redirect(
        url_for(
            f"payments.{order.entry}",
            start=first.strftime("%Y-%m"),
            end=last.strftime("%Y-%m"),
            base=f"{summary[0].base:.2f}",
            types=[s.insurance_type for s in summary],
        )
    )


@blueprint.post("/payments/orders/<number>/pay")
def pay(number: str):
    order = _order_or_404(number)
    form = BankForm()
    form.bank.choices = _banks()
    if not form.validate_on_submit():
        return redirect(url_for("payments.order", number=number))
    try:
        target = services.start_payment(
            order,
            form.bank.data or "",
            [code for code, _label in _banks()],
            url_for("payments.order", number=number),
            url_for("payments.notify", bank=form.bank.data or "-"),
        )
    except services.PaymentRefused as refusal:
        return _render_order(
            services.find_order(g.city.code, current_person(), number), form, str(refusal)
        ), 409
    return redirect(target)


@blueprint.post("/payments/orders/<number>/check")
def check(number: str):
    """支付成功 / 支付失败: either button asks the bank; the bank's answer decides."""
    order = _order_or_404(number)
    if ActionForm().validate_on_submit():
        outcome = services.check_with_bank(order)
        if outcome == "unknown":
            flash(
                _(
                    "The bank has not received a payment for this order. You can pay again or void the order."
                ),
                "info",
            )
    return redirect(url_for("payments.order", number=number))


# --- the bank's notification (server to server) --------------------------------------------


@blueprint.post("/payments/notify/<bank>")
@csrf.exempt
def notify(bank: str):
    if not _BANK_CODE.match(bank):
        return "REFUSED", 400, {"Content-Type": "text/plain"}
    body = request.get_data(cache=False, as_text=False)[:8192]
    signature = request.headers.get(SIGNATURE_HEADER, "")[:128]
    try:
        result = services.handle_notification(g.city.code, bank, body, signature)
    except services.NoticeRefused:
        return "REFUSED", 400, {"Content-Type": "text/plain"}
    return f"OK {result}", 200, {"Content-Type": "text/plain"}
