"""Choosing the language of a request: ``?lang=`` (remembered), else the city's default; and
the catalogue the page's templates translate with."""

from __future__ import annotations

from babel import Locale
from flask import Flask, g, request, session
from flask_babel import get_locale, get_translations
from markupsafe import Markup

from ..core.i18n import current_locale


def select_locale() -> str:
    g.locale_key = _choose()
    return g.locale_key


def _choose() -> str:
    city = g.get("city")
    if city is None:
        return "zh_CN"
    available = city.config.locales.available
    wanted = request.args.get("lang")
    if wanted in available:
        session["lang"] = wanted
        return wanted
    remembered = session.get("lang")
    if remembered in available:
        return remembered
    return city.config.locales.default


def select_timezone() -> str:
    return "Asia/Shanghai"


def install_template_gettext(app: Flask) -> None:
    """Templates translate with the request's catalogue, looked up once per language.

    Flask-Babel's own template callables look the catalogue up again for each string (the
    request's Babel context, its locale and that locale's name, each through Flask's context
    globals), and Jinja's "newstyle" wrappers around them take the template context, which
    Jinja copies for every call made inside a loop or block (two dozen copies of the whole
    context a page). These do what the newstyle wrappers do (translate, mark safe, then
    ``%``-format with the variables escaped, always, so ``%%`` reads as ``%``) without the
    context: every template is HTML, so autoescaping is always on. Templates are rendered in
    the request's language (``current_locale``), like their labels and amounts. Call after
    ``babel.init_app``, whose callables these replace.
    """
    catalogues: dict[str, object] = {}

    def catalogue():
        key = current_locale()
        found = catalogues.get(key)
        if found is None:
            found = get_translations()
            if get_locale() == Locale.parse(key):  # not a forced locale: the request's own
                catalogues[key] = found
        return found

    def gettext(string: str, **variables) -> Markup:
        return Markup(catalogue().ugettext(string)) % variables

    def ngettext(singular: str, plural: str, num: int, **variables) -> Markup:
        variables.setdefault("num", num)
        return Markup(catalogue().ungettext(singular, plural, num)) % variables

    def pgettext(context: str, string: str, **variables) -> Markup:
        return Markup(catalogue().upgettext(context, string)) % variables

    def npgettext(context: str, singular: str, plural: str, num: int, **variables) -> Markup:
        variables.setdefault("num", num)
        return Markup(catalogue().unpgettext(context, singular, plural, num)) % variables

    app.jinja_env.globals.update(
        _=gettext, gettext=gettext, ngettext=ngettext, pgettext=pgettext, npgettext=npgettext
    )
