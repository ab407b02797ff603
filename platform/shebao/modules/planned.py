"""Blueprints for modules whose pages are not built yet.

Every entry of such a module answers with a page that says plainly the service is not yet
available online and where to get it instead; nothing is faked. When a module's issue is
built, its package replaces ``planned_blueprint`` with real views.
"""

from __future__ import annotations

from flask import Blueprint, g

from .base import MenuEntry


def planned_blueprint(name: str, entries: tuple[MenuEntry, ...]) -> Blueprint:
    blueprint = Blueprint(name, __name__, url_prefix="/" + name.replace("_", "-"))
    for entry in entries:
        blueprint.add_url_rule(
            "/" + entry.key.replace("_", "-"),
            endpoint=entry.key,
            view_func=_planned_view(name, entry.key),
        )
    return blueprint


def _planned_view(module_name: str, key: str):
    def view():
        from ..web.templating import render

        module = g.city.module(module_name)
        entry = module.entry(key)
        return render(
            "planned.html",
            title=g.city.entry_label(module_name, key),
            module=module,
            entry=entry,
        )

    view.__name__ = f"planned_{module_name}_{key}"
    return view


def entries(module_name: str, *specs: tuple) -> tuple[MenuEntry, ...]:
    """``(key, label[, public])`` tuples → menu entries whose endpoint is ``<module>.<key>``."""
    return tuple(
        MenuEntry(
            key=spec[0],
            endpoint=f"{module_name}.{spec[0]}",
            label=spec[1],
            public=bool(spec[2]) if len(spec) > 2 else False,
        )
        for spec in specs
    )
