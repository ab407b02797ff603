"""The storage port's database backend: each file a row of ``stored_file``.

Every node reads what any node stored (a file written under one machine's instance folder is
missing on the others), and a backup of the database holds the uploads too. Meant for small
files (ID photos of a few dozen KB); each operation is a short transaction of its own, like a
file written next to the database, so callers keep the order the port documents (save before
the unit of work, delete after it ends).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import LargeBinary, String, delete, insert, select
from sqlalchemy.orm import Mapped, mapped_column

from ...core.db_types import UTCDateTime
from ...core.extensions import db
from ...core.time import utcnow
from .keys import StorageError, check_key


class StoredFile(db.Model):
    __tablename__ = "stored_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: ``<city>/<kind>/<uuid>.<ext>``, as ``check_key`` accepts it.
    key: Mapped[str] = mapped_column(String(100), unique=True)
    city: Mapped[str] = mapped_column(String(32), index=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DatabaseStorage:
    """Files as rows of the app's database (``SHEBAO_UPLOADS_STORAGE=database``)."""

    def save(self, city: str, kind: str, data: bytes, extension: str = "jpg") -> str:
        key = check_key(f"{city}/{kind}/{uuid.uuid4().hex}.{extension}")
        with db.engine.begin() as connection:
            connection.execute(
                insert(StoredFile).values(key=key, city=city, data=data, created_at=utcnow())
            )
        return key

    def read(self, key: str) -> bytes:
        check_key(key)
        with db.engine.connect() as connection:
            data = connection.scalar(select(StoredFile.data).where(StoredFile.key == key))
        if data is None:
            raise StorageError("no such file")
        return bytes(data)

    def delete(self, key: str) -> None:
        check_key(key)
        with db.engine.begin() as connection:
            connection.execute(delete(StoredFile).where(StoredFile.key == key))

    def exists(self, key: str) -> bool:
        check_key(key)
        with db.engine.connect() as connection:
            return connection.scalar(select(StoredFile.id).where(StoredFile.key == key)) is not None
