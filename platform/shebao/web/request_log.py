"""One log line per request, and the request id that ties a resident's complaint to it.

Every request gets an id: the ``X-Request-ID`` nginx (or a load balancer) sent, when it looks
like an id, else a new random one; the response carries it back as ``X-Request-ID``. The line
holds the id, city, endpoint, method, path, status, duration and client address, and nothing
a resident typed: no form field, no query string, no header value. Passwords, SMS codes, ID
numbers and phone numbers travel in those; the path keeps none either (a verification code in
``/verify/<code>`` is replaced by ``<code>``, and any run of 11 or more digits, the length of
a phone number, by ``<digits>``).

The records go to the logger ``shebao.request`` at INFO. ``SHEBAO_LOG_FORMAT=json`` (the
production default) writes every log record of the process, these included, as one JSON
object a line on stderr; with ``text`` nothing is configured here, so a developer's console
shows Flask's own lines as before.
"""

from __future__ import annotations

import logging
import re
import sys
import uuid
from time import perf_counter

from flask import Flask, g, request

log = logging.getLogger("shebao.request")

REQUEST_ID_HEADER = "X-Request-ID"
#: What an incoming request id may look like (nginx's ``$request_id`` is 32 hex digits).
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,63}")
#: URL arguments that are secrets: their value never reaches the log.
SECRET_ARGUMENTS = frozenset({"code", "token"})
_LONG_DIGITS = re.compile(r"[0-9]{11,}[0-9Xx]?")
_JSON_HANDLER_MARK = "shebao_json"


def request_id() -> str:
    """This request's id (as sent back in ``X-Request-ID``)."""
    return g.get("request_id") or ""


def loggable_path() -> str:
    """The path without query string, secret URL arguments or long digit runs."""
    path = request.path
    for name, value in (request.view_args or {}).items():
        if name in SECRET_ARGUMENTS and str(value):
            path = path.replace(str(value), f"<{name}>")
    return _LONG_DIGITS.sub("<digits>", path)


def install(app: Flask) -> None:
    """Give each request an id and log one line when its response is ready.

    Registered before the other request hooks, so that a request refused by one of them (an
    unknown host, a rate limit) is timed and logged too.
    """

    @app.before_request
    def start_request() -> None:
        g.request_started = perf_counter()
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = incoming if _SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex

    @app.after_request
    def log_request(response):
        if "request_id" not in g:  # refused by a hook registered ahead of ours
            start_request()
        response.headers[REQUEST_ID_HEADER] = g.request_id
        duration_ms = round((perf_counter() - g.request_started) * 1000, 1)
        city = g.get("city")
        fields = {
            "request_id": g.request_id,
            "city": city.code if city is not None else None,
            "endpoint": request.endpoint,
            "method": request.method,
            "path": loggable_path(),
            "status": response.status_code,
            "duration_ms": duration_ms,
            "remote_addr": request.remote_addr,
        }
        log.info(
            "%s %s %s %sms",
            fields["method"],
            fields["path"],
            response.status_code,
            duration_ms,
            extra=fields,
        )
        return response


def json_formatter() -> logging.Formatter:
    """One JSON object per record: time, level, logger, message, plus the record's extras."""
    from pythonjsonlogger.json import JsonFormatter  # only where JSON logs are configured

    return JsonFormatter(
        "{asctime}{levelname}{name}{message}",
        style="{",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        json_ensure_ascii=False,
    )


def configure_json_logging() -> None:
    """Every record of the process as one JSON line on stderr, from INFO up (once)."""
    root = logging.getLogger()
    if any(getattr(handler, _JSON_HANDLER_MARK, False) for handler in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    setattr(handler, _JSON_HANDLER_MARK, True)
    handler.setFormatter(json_formatter())
    root.addHandler(handler)
    root.setLevel(logging.INFO)
