"""The storage port's local-files backend: random keys, no way out of its folder."""

from __future__ import annotations

import pytest

from shebao.integrations.storage import LocalFileStorage, StorageError, storage_for


def test_save_read_delete(tmp_path):
    storage = LocalFileStorage(tmp_path)
    key = storage.save("dezhou", "photos", b"\xff\xd8data")
    assert key.startswith("dezhou/photos/") and key.endswith(".jpg")
    assert storage.read(key) == b"\xff\xd8data" and storage.exists(key)
    assert (tmp_path / key).is_file() and not list(tmp_path.rglob("*.part"))
    assert storage.save("dezhou", "photos", b"x") != key  # never the same name twice
    storage.delete(key)
    storage.delete(key)  # already gone: nothing happens
    assert not storage.exists(key)
    with pytest.raises(StorageError):
        storage.read(key)


@pytest.mark.parametrize(
    "key",
    [
        "../secret.jpg",
        "dezhou/photos/../../x.jpg",
        "/etc/passwd",
        "dezhou/photos/me.jpg",
        "dezhou/photos/" + "a" * 32 + ".exe",
        "Dezhou/photos/" + "a" * 32 + ".jpg",
        "",
    ],
)
def test_keys_of_any_other_form_are_refused(tmp_path, key):
    storage = LocalFileStorage(tmp_path)
    with pytest.raises(StorageError):
        storage.read(key)
    with pytest.raises(StorageError):
        storage.delete(key)


def test_the_app_stores_under_its_instance_folder(app, tmp_path):
    storage = storage_for(app)
    assert storage is storage_for(app)
    assert str(storage.root) == f"{app.instance_path}/uploads"
