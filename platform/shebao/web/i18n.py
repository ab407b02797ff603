"""Choosing the language of a request: ``?lang=`` (remembered), else the city's default; and
the catalogue the page's templates translate with."""

from __future__ import annotations

from babel import Locale
from flask import Flask, g, request, session
from flask_babel import get_locale, get_translations

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
    globals): a tenth of a page's rendering time for its forty-odd strings. Templates are
    rendered in the request's language (``current_locale``), like their labels and amounts.
    Call after ``babel.init_app``, which installed the callables this replaces.
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

    app.jinja_env.install_gettext_callables(
        lambda string: catalogue().ugettext(string),
        lambda singular, plural, n: catalogue().ungettext(singular, plural, n),
        newstyle=True,
        pgettext=lambda context, string: catalogue().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: catalogue().unpgettext(
            context, singular, plural, n
        ),
    )
