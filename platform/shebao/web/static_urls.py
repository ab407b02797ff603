"""Static file URLs that change when the file does: ``/static/shebao.css?v=<digest>``.

A URL names one content, so nginx may let browsers keep it for a year
(``deploy/nginx/shebao.conf`` gives ``?v=`` URLs far-future caching): a new version of a file
gets a new URL, and no resident sees an old style sheet after an upgrade. The digest is of
the file the current city is served (its own, its theme's or the platform's, as
``templating`` looks it up; a module's file for a module's static endpoint), computed once per
process and file; every node computes the same digest from the same checkout.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, g

from .templating import PLATFORM_STATIC

#: Characters of the SHA-256 hex digest in ``?v=``: enough to tell versions of one file apart.
DIGEST_LENGTH = 12


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:DIGEST_LENGTH]


def _roots(app: Flask, endpoint: str) -> list[Path]:
    if endpoint == "static":
        city = g.get("city")
        return [*city.static_dirs(), PLATFORM_STATIC] if city else [PLATFORM_STATIC]
    blueprint = app.blueprints.get(endpoint.rpartition(".")[0])
    folder = blueprint.static_folder if blueprint is not None else None
    return [Path(folder)] if folder else []


def install(app: Flask) -> None:
    versions: dict[tuple[str, str | None, str], str | None] = {}

    @app.url_defaults
    def version_static_urls(endpoint: str, values: dict) -> None:
        if not (endpoint == "static" or endpoint.endswith(".static")) or "v" in values:
            return
        filename = str(values.get("filename", ""))
        city = g.get("city")
        key = (endpoint, city.code if city is not None else None, filename)
        if key not in versions:
            found = (root / filename for root in _roots(app, endpoint))
            path = next(
                (p for p in found if p.is_file() and ".." not in Path(filename).parts), None
            )
            versions[key] = _digest(path) if path is not None else None
        if versions[key]:
            values["v"] = versions[key]
