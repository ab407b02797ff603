"""Storage port for uploaded files (ID photos): an interface and a local-files backend.

Callers never choose a file name: ``save`` makes a random key ``<city>/<kind>/<uuid>.<ext>``
and returns it; the key is what a model stores. ``read`` and ``delete`` take only keys of that
form, so a stored key can never point outside the storage root.

Backends (``SHEBAO_UPLOADS_STORAGE``): ``files`` keeps files under ``<instance
folder>/uploads`` (one machine's: the development default), ``database`` keeps each file as a
row (``database.py``), so every node reads what any node stored (the production default). The
app gets its backend from ``storage_for(app)`` (created on first use and kept in
``app.extensions["shebao.storage"]``).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Protocol

from flask import Flask, current_app

from .keys import KEY, StorageError, check_key

__all__ = ["KEY", "LocalFileStorage", "Storage", "StorageError", "check_key", "storage_for"]
EXTENSION = "shebao.storage"


class Storage(Protocol):
    def save(self, city: str, kind: str, data: bytes, extension: str = "jpg") -> str:
        """Store ``data`` under a new random key and return the key."""

    def read(self, key: str) -> bytes:
        """The bytes stored under ``key``; StorageError when missing."""

    def delete(self, key: str) -> None:
        """Remove ``key``; nothing happens when it is already gone."""

    def exists(self, key: str) -> bool: ...


class LocalFileStorage:
    """Files under ``root``: ``root/<city>/<kind>/<uuid>.<ext>``, written atomically."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def save(self, city: str, kind: str, data: bytes, extension: str = "jpg") -> str:
        key = check_key(f"{city}/{kind}/{uuid.uuid4().hex}.{extension}")
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(path.suffix + ".part")
        with open(partial, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        partial.replace(path)
        return key

    def read(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise StorageError("no such file") from None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()


def storage_for(app: Flask | None = None) -> Storage:
    """The app's storage (local files under the instance folder unless one was installed)."""
    app = app or current_app._get_current_object()
    storage = app.extensions.get(EXTENSION)
    if storage is None:
        settings = app.config.get("SHEBAO_SETTINGS")
        if settings is not None and settings.uploads_storage == "database":
            from .database import DatabaseStorage

            storage = DatabaseStorage()
        else:
            storage = LocalFileStorage(Path(app.instance_path) / "uploads")
        app.extensions[EXTENSION] = storage
    return storage
