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

from .templating import static_root

#: Characters of the SHA-256 hex digest in ``?v=``: enough to tell versions of one file apart.
DIGEST_LENGTH = 12


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:DIGEST_LENGTH]


def _file(app: Flask, endpoint: str, filename: str) -> Path | None:
    """The file a static URL names: the layered lookup that serves it (``static_root``) for
    the platform's endpoint, the blueprint's own folder for a module's."""
    if ".." in Path(filename).parts:
        return None
    if endpoint == "static":
        root = static_root(g.get("city"), filename)
        return root / filename if root is not None else None
    blueprint = app.blueprints.get(endpoint.rpartition(".")[0])
    folder = blueprint.static_folder if blueprint is not None else None
    path = Path(folder) / filename if folder else None
    return path if path is not None and path.is_file() else None


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
            path = _file(app, endpoint, filename)
            versions[key] = _digest(path) if path is not None else None
        if versions[key]:
            values["v"] = versions[key]
