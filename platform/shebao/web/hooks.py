"""Per-request rules: which city a request is for, module toggles, errors, security headers.

An unexpected error rolls the database session back before anything else (the themed error
page may read the database: the resident, the menu), and is logged without what the request
carried: the SQL parameters are hidden by the engine (``hide_parameters``), and a database
error is logged by its kind and SQLSTATE only, because the server's own message may quote
the values (``DETAIL: Failing row contains (…)``).
"""

from __future__ import annotations

import logging
import re
import traceback

from flask import Flask, Request, g, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException, NotFound

from ..core.extensions import db
from ..tenancy.modules import ModuleCatalogue
from . import sessions
from .queries import has_control_characters
from .templating import render

log = logging.getLogger(__name__)

#: Paths that answer on any host (load balancers probe by IP address).
HOSTLESS_PATHS = ("/healthz", "/readyz")


class UnknownHost(NotFound):
    """The Host header names no city: a plain 404 that names no city either."""


_NOT_URL_SAFE = re.compile(rb"[^\x21-\x7e]")


class PortalRequest(Request):
    """A request whose query string is ASCII, as a browser sends it.

    A client may send raw bytes after the "?" (``?page=\xff``); Werkzeug decodes the query
    string as strict UTF-8 (``request.args``, ``request.full_path``) and would raise on every
    read, the error page's included. Such bytes are percent-encoded here instead, so they
    decode like any other bad percent-escape.
    """

    def __init__(self, environ, populate_request: bool = True, shallow: bool = False):
        super().__init__(environ, populate_request, shallow)
        if _NOT_URL_SAFE.search(self.query_string):
            self.query_string = _NOT_URL_SAFE.sub(
                lambda byte: b"%%%02X" % byte.group()[0], self.query_string
            )


def install(app: Flask, modules: ModuleCatalogue) -> None:
    """Request hooks for ``modules`` (each module's blueprint is named after the module)."""
    app.request_class = PortalRequest
    cities = app.extensions["shebao.cities"]
    by_blueprint = dict(modules)
    entry_endpoints = {
        entry.endpoint: (module.name, entry.key)
        for module in modules.values()
        for entry in module.entries
    }

    @app.before_request
    def resolve_city():
        if request.path in HOSTLESS_PATHS:
            return None
        city = cities.resolve(request.host)
        if city is None:
            raise UnknownHost()
        g.city = city
        if has_control_characters(request.path):  # no route holds one; a NUL reaches no query
            raise NotFound()
        module = by_blueprint.get(request.blueprint or "")
        if module is not None and not city.module_enabled(module.name):
            raise NotFound()
        entry = entry_endpoints.get(request.endpoint or "")
        if entry is not None and not city.entry_enabled(*entry):
            raise NotFound()
        return sessions.guard(city, module)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        )
        if g.get("personal_data"):
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
        return response

    @app.errorhandler(UnknownHost)
    def unknown_host(error):
        return render_template("errors/unknown_host.html"), 404

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        _roll_back()
        if g.get("city") is None:
            if error.code == 404:
                return render_template("errors/unknown_host.html"), 404
            return error
        return render_error(error.code or 500, error), error.code

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        _roll_back()
        _log_unexpected(error)
        if g.get("city") is None:
            return render_template("errors/unknown_host.html"), 500
        return render_error(500, error), 500


def _roll_back() -> None:
    """End the failed unit of work, so that the error page can read the database again."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection itself is gone: the page renders anyway
        log.warning("rolling back after an error failed", exc_info=True)


def _log_unexpected(error: Exception) -> None:
    if not isinstance(error, DBAPIError):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return
    original = error.orig
    diagnosis = getattr(original, "diag", None)
    log.error(
        "database error on %s %s: %s (SQLSTATE %s, table %s, column %s, constraint %s)\n"
        "%s\nTraceback (most recent call last):\n%s",
        request.method,
        request.path,
        type(original).__name__,
        getattr(original, "sqlstate", None) or "-",
        getattr(diagnosis, "table_name", None) or "-",
        getattr(diagnosis, "column_name", None) or "-",
        getattr(diagnosis, "constraint_name", None) or "-",
        error.statement,
        "".join(traceback.format_tb(error.__traceback__)),
    )


ERROR_TEXT = {
    400: (_l("Bad request"), _l("The form could not be accepted. Reload the page and try again.")),
    403: (_l("Forbidden"), _l("You may not open this page.")),
    404: (
        _l("Page not found"),
        _l("This page does not exist here. Check the address or use the menu."),
    ),
    405: (
        _l("Method not allowed"),
        _l("This page cannot be used that way. Go back and try again."),
    ),
    413: (_l("File too large"), _l("The file you sent is too large. Choose a smaller file.")),
    429: (
        _l("Too many requests"),
        _l("You have tried too often. Wait a few minutes and try again."),
    ),
    500: (
        _l("Something went wrong"),
        _l("The service met an error. Nothing was changed. Please try again later."),
    ),
}


def render_error(code: int, error: Exception):
    title, advice = ERROR_TEXT.get(code, ERROR_TEXT[500] if code >= 500 else ERROR_TEXT[400])
    try:
        return render("errors/error.html", code=code, title=title, advice=advice)
    except Exception:  # noqa: BLE001 - the themed page itself failed: answer plainly
        log.exception("error page for %s failed to render", code)
        return render_template("errors/unknown_host.html")
