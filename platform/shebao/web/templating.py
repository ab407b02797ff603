"""Templates and static files looked up city first, then the city's theme, then the platform.

Layered names (``cities/<city>/x.html`` → ``themes/<theme>/x.html`` → ``x.html``) keep Jinja's
template cache correct: one loader, and each city's override has a name of its own, so one
city's template can never be served to another.

Which layer answers is decided once per process for each city and name (Jinja remembers the
templates it found but not the names it did not: looking the missing layers up again cost
some 56 failed ``stat`` calls a page, through the app folder and every blueprint's). The same
goes for static files. When templates reload (debugging, ``TEMPLATES_AUTO_RELOAD``) nothing is
remembered, so a template added to a city's folder is seen at once.
"""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask, abort, current_app, g, render_template, request, send_from_directory
from flask_login import current_user
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader
from markupsafe import Markup

from ..core.i18n import current_locale, label_text
from ..core.money import format_money
from ..core.settings import Settings
from ..core.time import format_day, format_moment, format_month
from ..people.idnumber import mask_id_number, mask_name
from ..tenancy.city import CityDirectory
from .unread import unread_messages

PLATFORM_STATIC = Path(__file__).resolve().parents[1] / "static"


def layered_names(name: str, city=None) -> list[str]:
    city = city or g.get("city")
    if city is None:
        return [name]
    return [f"cities/{city.code}/{name}", f"themes/{city.theme}/{name}", name]


#: ``app.extensions`` key of the names found, by (city code, name).
_RESOLVED = "shebao.templates_resolved"
#: ``app.extensions`` key of the rendered service menus (``site_menu``).
_MENUS = "shebao.menus_rendered"
#: Menus kept per process: one per city, language, display mode, login state and page that
#: was asked for; the oldest goes first when full (a few KB each).
MENU_CACHE_SIZE = 1024
_menu_lock = threading.Lock()


def _remembering(app: Flask) -> bool:
    return not app.jinja_env.auto_reload


def resolve(name: str, city=None) -> str:
    """The layered name that answers for ``name`` in ``city`` (default: the request's);
    raises ``TemplateNotFound`` when no layer has it."""
    city = city or g.get("city")
    if city is None:
        return name
    app = current_app._get_current_object()
    resolved = app.extensions[_RESOLVED]
    key = (city.code, name)
    found = resolved.get(key)
    if found is None:
        found = app.jinja_env.select_template(layered_names(name, city)).name
        if _remembering(app):
            resolved[key] = found
    return found


def render(name: str, **context):
    """Render ``name`` as the current city sees it (its override, its theme's, the default)."""
    return render_template(resolve(name), **context)


def site_menu(care_mode: bool) -> Markup:
    """The service menu of the current page (``_site_menu.html``, layered like any template).

    It depends on nothing but the city, the language, the display mode, whether someone is
    logged in and which page is open, so it is rendered once per such combination and then
    reused: it was a quarter of the rendering time of every page.
    """
    city = g.city
    authenticated = current_user.is_authenticated
    care_mode = bool(care_mode)
    key = (
        city.code,
        current_locale(),
        care_mode,
        authenticated,
        request.endpoint,
        request.blueprint,
        request.script_root,
    )
    app = current_app._get_current_object()
    menus = app.extensions[_MENUS]
    found = menus.get(key)
    if found is None:
        template = app.jinja_env.get_template(resolve("_site_menu.html", city))
        found = Markup(
            template.render(
                city=city,
                visible_menus=city.menus if authenticated else city.visitor_menus,
                care_mode=care_mode,
                current_endpoint=request.endpoint,
                current_blueprint=request.blueprint,
            )
        )
        if _remembering(app):
            with _menu_lock:
                while len(menus) >= MENU_CACHE_SIZE:
                    del menus[next(iter(menus))]
                menus[key] = found
    return found


def static_root(city, filename: str) -> Path | None:
    """The folder that serves static ``filename`` for ``city`` (its own, its theme's, the
    platform's), or None."""
    app = current_app._get_current_object()
    resolved = app.extensions[_RESOLVED]
    key = (city.code if city else None, "static", filename)
    if key in resolved:
        return resolved[key]
    roots = [*city.static_dirs(), PLATFORM_STATIC] if city else [PLATFORM_STATIC]
    found = next((root for root in roots if (root / filename).is_file()), None)
    # Only files found, under plain names: what a request may name is unbounded.
    if found is not None and ".." not in filename.split("/") and _remembering(app):
        resolved[key] = found
    return found


def install(app: Flask, cities: CityDirectory, settings: Settings) -> None:
    theme_dirs = (
        {
            path.name: FileSystemLoader(str(path / "templates"))
            for path in sorted(settings.themes_dir.iterdir())
            if path.is_dir()
        }
        if settings.themes_dir.is_dir()
        else {}
    )
    app.jinja_loader = ChoiceLoader(
        [
            PrefixLoader(
                {
                    "cities": PrefixLoader(
                        {city.code: FileSystemLoader(str(city.template_dir())) for city in cities}
                    ),
                    "themes": PrefixLoader(theme_dirs),
                }
            ),
            FileSystemLoader(app.template_folder),
        ]
    )

    def themed(name: str):
        """Inside templates: ``{% extends themed("base.html") %}``."""
        return app.jinja_env.get_template(resolve(name))

    app.extensions[_RESOLVED] = {}
    app.extensions[_MENUS] = {}
    app.jinja_env.globals.update(
        themed=themed,
        current_locale=current_locale,
        label_text=label_text,
        mask_id_number=mask_id_number,
        mask_name=mask_name,
        unread_messages=unread_messages,
        site_menu=site_menu,
    )
    # Amounts, months, days and instants as Babel writes them in the page's language.
    app.jinja_env.filters["money"] = format_money
    app.jinja_env.filters["month"] = format_month
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["moment"] = format_moment
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def city_context():
        return {"city": g.get("city")}

    @app.route("/static/<path:filename>", endpoint="static")
    def static(filename: str):
        root = static_root(g.get("city"), filename)
        if root is None:
            abort(404)
        return send_from_directory(root, filename, max_age=3600)
