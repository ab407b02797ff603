"""What the account tests share: reading a page as a user does, its form and field errors, a
message as a city's page shows it (``say``) and the database outside any request (``query``).

``say`` and ``query`` are fixtures: a test module imports ``fixture_say`` / ``fixture_query``
and pytest finds them there under their names (a test's ``say`` argument shadows no import).
"""

from __future__ import annotations

import html
import re

import pytest
from flask_babel import gettext

from shebao.core.extensions import db

FORM_ERROR = re.compile(r'<div class="form-error" role="alert"><p>(.*?)</p></div>', re.S)
FIELD_ERROR = re.compile(r'<p class="field-error" id="([\w-]+)-error">(.*?)</p>', re.S)


def text(response) -> str:
    """The page as a user reads it (entities decoded)."""
    return html.unescape(response.get_data(as_text=True))


def form_errors(response) -> list[str]:
    return [html.unescape(m) for m in FORM_ERROR.findall(response.get_data(as_text=True))]


def field_errors(response) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for field, message in FIELD_ERROR.findall(response.get_data(as_text=True)):
        found.setdefault(field, []).append(html.unescape(message))
    return found


@pytest.fixture(name="say")
def fixture_say(app):
    """A message as the city's pages show it (whatever the catalogue holds today)."""

    def translate(code: str, msgid: str, **values) -> str:
        with app.test_request_context("/", headers={"Host": f"{code}.localhost"}):
            app.preprocess_request()
            return gettext(msgid, **values)

    return translate


@pytest.fixture(name="query")
def fixture_query(app):
    """Run ``fn(db.session)`` outside any request (unscoped) and return its result."""

    def run(fn):
        with app.app_context():
            return fn(db.session)

    return run
