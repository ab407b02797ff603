"""Choosing the language of a request: ``?lang=`` (remembered), else the city's default."""

from __future__ import annotations

from flask import g, request, session


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
