"""Templates and static files looked up city first, then the city's theme, then the platform.

Layered names (``cities/<city>/x.html`` → ``themes/<theme>/x.html`` → ``x.html``) keep Jinja's
template cache correct: one loader, and each city's override has a name of its own, so one
city's template can never be served to another.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, abort, g, render_template, send_from_directory
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader

from ..core.i18n import current_locale, label_text
from ..core.money import format_money
from ..core.settings import Settings
from ..core.time import format_day, format_moment, format_month
from ..people.idnumber import mask_id_number, mask_name
from ..tenancy.city import CityDirectory

PLATFORM_STATIC = Path(__file__).resolve().parents[1] / "static"


def layered_names(name: str, city=None) -> list[str]:
    city = city or g.get("city")
    if city is None:
        return [name]
    return [f"cities/{city.code}/{name}", f"themes/{city.theme}/{name}", name]


def render(name: str, **context):
    """Render ``name`` as the current city sees it (its override, its theme's, the default)."""
    return render_template(layered_names(name), **context)


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
        return app.jinja_env.select_template(layered_names(name))

    app.jinja_env.globals.update(
        themed=themed,
        current_locale=current_locale,
        label_text=label_text,
        mask_id_number=mask_id_number,
        mask_name=mask_name,
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
        city = g.get("city")
        roots = [*city.static_dirs(), PLATFORM_STATIC] if city else [PLATFORM_STATIC]
        for root in roots:
            if (root / filename).is_file():
                return send_from_directory(root, filename, max_age=3600)
        abort(404)
