"""Storage keys: ``<city>/<kind>/<uuid>.<ext>``, the only names a backend accepts."""

from __future__ import annotations

import re

_SEGMENT = r"[a-z][a-z0-9_-]{0,31}"
KEY = re.compile(rf"^(?P<city>{_SEGMENT})/(?P<kind>{_SEGMENT})/[0-9a-f]{{32}}\.(jpg|png)$")


class StorageError(RuntimeError):
    """A key of the wrong form, or a file that is not there."""


def check_key(key: str) -> str:
    if not isinstance(key, str) or not KEY.match(key):
        raise StorageError("not a storage key")
    return key
