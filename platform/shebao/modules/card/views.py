"""Card pages: thin views that read the query or form, call the services and render."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...core.extensions import limiter
from ...core.time import format_moment, local_today
from ...core.transactions import unit_of_work
from ...people.current import current_person
from ...web.queries import QueryError, parse_page, parse_year_month
from ...web.templating import render
from . import NAME, services, vocabulary
from .forms import CancelLossReportForm, LossReportForm
from .services import CardError

blueprint = Blueprint(NAME, __name__, url_prefix="/card", template_folder="templates")

POST_LIMIT = "30/minute;200/hour"


def _title(key: str) -> str:
    return g.city.entry_label(NAME, key)


def _common() -> dict:
    return {
        "statuses": vocabulary.CARD_STATUSES,
        "label": vocabulary.label,
        "local_time": format_moment,
    }


@blueprint.route("/info")
def info():
    """社保卡基本信息."""
    card = services.card_of(g.city, current_person())
    return render(
        "card/info.html",
        title=_title("info"),
        card=card,
        can_report=g.city.entry_enabled(NAME, "report_loss"),
        cancel_form=CancelLossReportForm() if services.cancel_allowed(g.city) else None,
        **_common(),
    )


@blueprint.route("/report-loss", methods=["GET", "POST"])
@limiter.limit(POST_LIMIT, methods=["POST"])
def report_loss():
    """社保卡挂失: one button; the card stops working until the loss report is cancelled."""
    person = current_person()
    form = LossReportForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                outcome = services.report_loss(g.city, person, current_user._get_current_object())
        except CardError as refusal:
            flash(refusal.message, "error")
        else:
            if outcome.changed:
                flash(
                    _(
                        "Your social security card %(card)s was reported lost at %(time)s. "
                        "It can no longer be used until the loss report is cancelled.",
                        card=services.mask_card_number(outcome.card.card_number),
                        time=format_moment(outcome.at),
                    ),
                    "success",
                )
            else:
                flash(
                    _("Your social security card is already reported lost. Nothing was changed."),
                    "info",
                )
        return redirect(url_for("card.report_loss"))
    card = services.card_of(g.city, person)
    cancel_form = CancelLossReportForm() if services.cancel_allowed(g.city) else None
    return render(
        "card/report_loss.html",
        title=_title("report_loss"),
        card=card,
        form=form,
        cancel_form=cancel_form,
        **_common(),
    )


@blueprint.route("/report-loss/cancel", methods=["POST"])
@limiter.limit(POST_LIMIT)
def cancel_loss_report():
    """解除挂失, where the city's ``cancel_loss_report`` option allows it (404 elsewhere)."""
    if not services.cancel_allowed(g.city):
        abort(404)
    form = CancelLossReportForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                outcome = services.cancel_loss_report(
                    g.city, current_person(), current_user._get_current_object()
                )
        except CardError as refusal:
            flash(refusal.message, "error")
        else:
            if outcome.changed:
                flash(
                    _(
                        "The loss report of your social security card %(card)s was cancelled "
                        "at %(time)s. The card can be used again.",
                        card=services.mask_card_number(outcome.card.card_number),
                        time=format_moment(outcome.at),
                    ),
                    "success",
                )
            else:
                flash(
                    _("Your social security card is not reported lost. Nothing was changed."),
                    "info",
                )
    back = "card.report_loss" if g.city.entry_enabled(NAME, "report_loss") else "card.info"
    return redirect(url_for(back))


@blueprint.route("/records")
def records():
    """卡片处理记录: newest first, paged."""
    person = current_person()
    error = None
    page = None
    try:
        page = services.processing_records(g.city, person, parse_page(request.args.get("page")))
    except QueryError as problem:
        error = str(problem)
    return render(
        "card/records.html",
        title=_title("records"),
        page=page,
        error=error,
        kinds=vocabulary.EVENT_KINDS,
        online=vocabulary.ONLINE,
        **_common(),
    )


@blueprint.route("/swipes")
def swipes():
    """社保卡刷卡记录: choose the year-month, 查询; the month's swipes, paged, and its total."""
    person = current_person()
    error = None
    month = page = total = None
    try:
        month = parse_year_month(request.args.get("month"))
        if month is None:
            month = services.latest_swipe_month(g.city, person) or local_today().replace(day=1)
        page = services.swipes(g.city, person, month, parse_page(request.args.get("page")))
        total = services.swipe_total(g.city, person, month)
    except QueryError as problem:
        error = str(problem)
    return render(
        "card/swipes.html",
        title=_title("swipes"),
        month=month,
        page=page,
        total=total,
        error=error,
        kinds=vocabulary.SWIPE_KINDS,
        **_common(),
    )
