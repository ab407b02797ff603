"""Languages and labels.

A label in city YAML is either one string (used for every language) or a mapping of
locale → string. Module defaults are lazy gettext strings from the Babel catalogues.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import g, has_request_context
from flask_babel import get_locale

LOCALES = ("zh_CN", "en")
DEFAULT_LOCALE = "zh_CN"
#: Key under which a plain-string label is stored: it applies to every language.
ANY_LOCALE = "*"


def current_locale() -> str:
    """The locale key (``zh_CN`` or ``en``) chosen for this request."""
    if has_request_context():
        key = g.get("locale_key")
        if key is None:
            get_locale()  # runs the locale selector once per request; it records the key in g
            key = g.get("locale_key", DEFAULT_LOCALE)
        return key
    return DEFAULT_LOCALE


def label_text(label: Mapping[str, str] | str | object, locale: str | None = None) -> str:
    """The text of a YAML label (or a lazy gettext string) for ``locale``."""
    if isinstance(label, Mapping):
        locale = locale or current_locale()
        for key in (locale, ANY_LOCALE, DEFAULT_LOCALE):
            if key in label:
                return label[key]
        return next(iter(label.values()), "")
    return str(label)
