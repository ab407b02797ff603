"""What the payment pages share: rendering, the city's options, the resident's order, and
turning a service's refusal into a form error."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, g, redirect, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from ....core import time as clock
from ....core.transactions import unit_of_work
from ....people.current import current_person
from ....web.templating import render
from .. import NAME, services
from ..labels import type_label
from ..models import PaymentOrder
from ..options import PaymentsOptions
from ..states import status_label


def page(name: str, **context) -> str:
    """Render a payments template with the helpers every one of them uses."""
    return render(
        name,
        local_time=clock.format_moment,
        status_label=status_label,
        type_label=type_label,
        **context,
    )


def options() -> PaymentsOptions:
    return g.city.options(NAME)


def order_or_404(number: str) -> PaymentOrder:
    """The logged-in resident's order with this number in this city, else 404."""
    order = services.find_order(g.city, current_person(), number)
    if order is None:
        abort(404)
    return order


def attach(form: FlaskForm, error: services.PaymentRefused) -> str | None:
    """Put the refusal next to its field; returns it when it belongs to the whole form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
        return None
    return str(error)


def new_order(
    create: Callable[[], PaymentOrder], form: FlaskForm
) -> tuple[Response | None, str | None]:
    """Create an order in its own unit of work: (redirect to its page, None) or, when a rule
    refuses, (None, the form-wide error; a field's error is attached to the field)."""
    try:
        with unit_of_work():
            order = create()
    except services.PaymentRefused as refusal:
        return None, attach(form, refusal)
    return redirect(url_for("payments.order", number=order.number)), None
