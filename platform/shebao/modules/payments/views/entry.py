"""The pages that start a payment: flexible employment (个体人员 / 灵活就业), resident pension
and resident medical. Each parses its form, asks the services for the order, and sends the
resident to the order's page; the URLs are in ``views.py``."""

from __future__ import annotations

from flask import g, request
from flask_babel import gettext as _

from ....core import time as clock
from ....core.money import format_money
from ....people.current import current_person
from ....web.queries import ascii_decimal, ascii_int
from .. import NAME, amounts, services
from ..forms import FlexibleForm, ResidentMedicalForm, ResidentPensionForm
from ..labels import type_label
from .pages import attach, new_order, options, page


def flexible():
    types = list(options().flexible.types)
    if _in_menu("flexible_medical") and len(types) > 1:
        # Dezhou: 灵活就业社保缴费 pays pension; medical has its own page (灵活就业医保缴费).
        types = [kind for kind in types if kind != "medical"]
    return _flexible("flexible", types)


def flexible_medical():
    return _flexible("flexible_medical", ["medical"])


def _in_menu(key: str) -> bool:
    return any(
        link.module == NAME and link.key == key for menu in g.city.menus for link in menu.links
    )


def _flexible(entry: str, types: list[str]):
    flexible_options = options().flexible
    today = clock.local_today()
    form = FlexibleForm()
    form.types.choices = [(kind, type_label(kind)) for kind in types]
    if request.method == "GET" and not form.types.data:
        _prefill(form, types)
    error = None
    preview = None
    if form.validate_on_submit():
        chosen = [kind for kind in (form.types.data or []) if kind in types]
        # More decimals than the fen are read, so that the rules can say what is wrong.
        base = ascii_decimal(form.base.data, places=8)
        if base is None:
            form.base.errors = [_("Enter the base in yuan, for example 4500.")]
        else:
            start, end = form.start.parsed, form.end.parsed
            if not chosen:
                form.types.errors = [_("Choose at least one insurance type.")]
            elif request.form.get("action") == "preview":
                try:
                    preview = services.preview_flexible(g.city, start, end, chosen, base, today)
                except services.PaymentRefused as refusal:
                    error = attach(form, refusal)
            else:
                done, error = new_order(
                    lambda: services.flexible_order(
                        g.city, current_person(), entry, start, end, chosen, base, today
                    ),
                    form,
                )
                if done:
                    return done
    first, last = amounts.allowed_window(flexible_options.window_months, today)
    rules = [
        (year, rule)
        for year, rule in sorted(flexible_options.years.items())
        if year >= first.year - 1 or year == max(flexible_options.years)
    ]
    return page(
        "payments/flexible.html",
        title=g.city.entry_label(NAME, entry),
        form=form,
        error=error,
        preview=preview,
        flow=flexible_options.flow,
        first=first,
        last=last,
        rules=rules,
        types=types,
    )


def _prefill(form: FlexibleForm, types: list[str]) -> None:
    """The choices carried back by 上一步 (the order page's ``back``) in the query string."""
    form.types.data = list(types)
    for name in ("start", "end", "base"):
        value = request.args.get(name, "")
        if value and len(value) <= 16:
            getattr(form, name).data = value
    if request.args.get("types"):
        form.types.data = [kind for kind in request.args.getlist("types") if kind in types]


def resident_pension():
    pension_options = options().resident_pension
    today = clock.local_today()
    grades = amounts.resident_pension_grades(pension_options, today.year)
    years = [today.year] if grades else []
    form = ResidentPensionForm()
    form.year.choices = [(str(year), str(year)) for year in years]
    form.grade.choices = [(str(grade), format_money(grade)) for grade in grades]
    error = None
    if form.validate_on_submit():
        year = ascii_int(form.year.data, max_digits=4)
        grade = ascii_decimal(form.grade.data)
        if year not in years:
            form.year.errors = [_("Choose a year from the list.")]
        elif grade is None:
            form.grade.errors = [_("Choose a grade from the list.")]
        else:
            done, error = new_order(
                lambda: services.resident_pension_order(g.city, current_person(), year, grade),
                form,
            )
            if done:
                return done
    return page(
        "payments/resident_pension.html",
        title=g.city.entry_label(NAME, "resident_pension"),
        form=form,
        error=error,
        years=years,
    )


def resident_medical():
    medical_options = options().resident_medical
    today = clock.local_today()
    years = amounts.open_medical_years(medical_options, today)
    form = ResidentMedicalForm()
    form.year.choices = [
        (
            str(year),
            _(
                "%(year)s: %(amount)s yuan",
                year=year,
                amount=format_money(medical_options.years[year].amount),
            ),
        )
        for year in years
    ]
    if request.method == "GET" and years:
        form.year.data = str(years[0])
    error = None
    if form.validate_on_submit():
        year = ascii_int(form.year.data, max_digits=4) or -1
        done, error = new_order(
            lambda: services.resident_medical_order(g.city, current_person(), year, today), form
        )
        if done:
            return done
    return page(
        "payments/resident_medical.html",
        title=g.city.entry_label(NAME, "resident_medical"),
        form=form,
        error=error,
        years=years,
        rules=medical_options.years,
    )
