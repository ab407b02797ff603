"""Refunds and the daily reconciliation per bank."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from ...account.errors import AccountError
from ...core.time import local_today
from ..access import requires
from ..forms import RefundForm
from ..services import money
from .support import action, attach, show


@requires("finance")
def refunds():
    return show(
        "refunds.html",
        title=_("Refunds"),
        due=money.refunds(g.city),
        done=money.refunds(g.city, done=True),
        form=RefundForm(),
        error=None,
    )


@requires("finance")
def mark_refunded(notification_id: int):
    form = RefundForm()
    error = None
    if form.validate_on_submit():
        try:
            with action():
                money.mark_refunded(g.city, g.staff, notification_id, form.reference.data)
        except AccountError as refusal:
            error = attach(form, refusal)
        else:
            flash(_("Marked refunded."), "info")
            return redirect(url_for("staff.refunds"))
    return show(
        "refunds.html",
        title=_("Refunds"),
        due=money.refunds(g.city),
        done=money.refunds(g.city, done=True),
        form=form,
        error=error,
        failed_id=notification_id,
    ), 400


def _banks() -> list[str]:
    if not g.city.module_enabled("payments"):
        return []
    return [bank.code for bank in g.city.options("payments").banks]


@requires("finance")
def reconciliation():
    banks = _banks()
    bank = request.args.get("bank") or (banks[0] if banks else "")
    raw_day = request.args.get("day") or local_today().isoformat()
    error = None
    try:
        day = date.fromisoformat(raw_day)
    except ValueError:
        day, error = local_today(), _("Enter the day as YYYY-MM-DD.")
    if bank and bank not in banks:
        abort(400)
    lines = money.reconciliation(g.city, bank, day) if bank else []
    if request.args.get("format") == "csv" and error is None:
        return Response(
            money.reconciliation_csv(lines),
            mimetype="text/csv",
            headers={
                "Content-Disposition": f"attachment; filename=reconciliation-{g.city.code}-{bank}-{day}.csv",
                "Cache-Control": "no-store",
            },
        )
    return show(
        "reconciliation.html",
        title=_("Reconciliation"),
        banks=banks,
        bank=bank,
        day=day,
        lines=lines,
        error=error,
    ), (400 if error else 200)
