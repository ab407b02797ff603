"""Uploads shared by every node: the storage port's database backend."""

from __future__ import annotations

import pytest

from shebao import create_app
from shebao.core.settings import Settings, SettingsError
from shebao.integrations.storage import LocalFileStorage, StorageError, storage_for
from shebao.integrations.storage.database import DatabaseStorage


def test_uploads_default_to_files_in_development_and_the_database_in_production():
    assert Settings.from_env({}).uploads_storage == "files"
    assert Settings.from_env({"SHEBAO_UPLOADS_STORAGE": " Database "}).uploads_storage == "database"
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({"SHEBAO_ENV": "production"})
    assert not any(p.startswith("SHEBAO_UPLOADS_STORAGE") for p in refused.value.problems)
    assert Settings.model_fields["uploads_storage"].default is None  # follows SHEBAO_ENV


def test_an_unknown_uploads_storage_is_refused():
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({"SHEBAO_UPLOADS_STORAGE": "s3"})
    assert refused.value.problems == [
        "SHEBAO_UPLOADS_STORAGE: must be one of files, database, not 's3'"
    ]


def test_a_file_stored_through_one_instance_is_read_through_another(app, settings):
    first = create_app(settings.model_copy(update={"uploads_storage": "database"}))
    second = create_app(settings.model_copy(update={"uploads_storage": "database"}))
    assert isinstance(storage_for(first), DatabaseStorage)
    assert isinstance(storage_for(app), LocalFileStorage)  # the tests' default: files
    with first.app_context():
        key = storage_for(first).save("dezhou", "photos", b"\xff\xd8photo")
        assert storage_for(first).save("dezhou", "photos", b"x") != key
    with second.app_context():
        storage = storage_for(second)
        assert key.startswith("dezhou/photos/") and key.endswith(".jpg")
        assert storage.exists(key) and storage.read(key) == b"\xff\xd8photo"
        storage.delete(key)
        storage.delete(key)  # already gone: nothing happens
        assert not storage.exists(key)
        with pytest.raises(StorageError):
            storage.read(key)
        for bad in ("../secret.jpg", "dezhou/photos/me.jpg", "/etc/passwd", ""):
            with pytest.raises(StorageError):
                storage.read(bad)
            with pytest.raises(StorageError):
                storage.delete(bad)
