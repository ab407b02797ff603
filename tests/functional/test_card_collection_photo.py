"""社保卡照片采集 (Dezhou): what an uploaded photo must be, what is stored, who may see it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from shebao.core.extensions import db
from shebao.core.transactions import unit_of_work
from shebao.modules.card_collection import services
from shebao.modules.card_collection.models import CardPhoto
from shebao.modules.card_collection.photos import size_matches

W, H = 358, 441


def text(response) -> str:
    return response.get_data(as_text=True)


def image_bytes(size=(W, H), fmt="JPEG", mode="RGB", color=(200, 180, 160), **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color if mode != "1" else 1).save(out, fmt, **save)
    return out.getvalue()


def photos(app) -> list[CardPhoto]:
    with app.app_context():
        return list(db.session.scalars(select(CardPhoto)))


def stored_files(app) -> list[Path]:
    root = Path(app.instance_path) / "uploads"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture(autouse=True)
def _empty_uploads(app):
    yield
    for path in stored_files(app):
        path.unlink()


def upload(client, data: bytes, filename="photo.jpg", content_type="image/jpeg"):
    return client.submit(
        "/card-collection/photo?lang=en",
        {"photo": (io.BytesIO(data), filename, content_type), "upload": "1"},
        content_type="multipart/form-data",
    )


def logged_in(client, make_resident, seq=1):
    resident = make_resident("dezhou", seq)
    client.login(resident.id_number, resident.password)
    return resident


def test_the_page_offers_upload_or_the_phone_camera(dezhou, make_resident):
    logged_in(dezhou, make_resident)
    page = text(dezhou.get("/card-collection/photo"))
    assert page.count("<h1>") == 1 and "<h1>社保卡照片采集</h1>" in page
    assert 'type="file"' in page and 'accept="image/jpeg,image/png"' in page
    assert 'capture="user"' in page and 'enctype="multipart/form-data"' in page
    assert 'for="photo"' in page


def test_a_good_photo_is_stored_as_a_metadata_free_jpeg_of_the_spec_size(
    app, dezhou, make_resident
):
    logged_in(dezhou, make_resident)
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {2: (36, 0, 0)}  # a GPS block
    original = image_bytes((W * 2, H * 2), exif=exif.tobytes(), comment=b"hello")
    response = upload(dezhou, original, filename="../../etc/passwd.jpg")
    assert response.status_code == 302
    [row] = photos(app)
    assert row.status == "pending" and (row.width, row.height) == (W, H)
    assert row.storage_key.startswith("dezhou/photos/") and "passwd" not in row.storage_key
    [path] = stored_files(app)
    assert path.name == row.storage_key.rsplit("/", 1)[1]
    stored = path.read_bytes()
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and image.size == (W, H) and image.mode == "RGB"
        assert not image.getexif() and "exif" not in image.info and "comment" not in image.info
        assert "icc_profile" not in image.info
    assert b"SecretCam" not in stored and b"hello" not in stored

    page = text(dezhou.get("/card-collection/photo?lang=en"))
    assert "Waiting for review" in page and "/card-collection/photo/image.jpg" in page
    shown = dezhou.get("/card-collection/photo/image.jpg")
    assert shown.status_code == 200 and shown.data == stored
    assert shown.mimetype == "image/jpeg" and shown.headers["Cache-Control"] == "no-store"


def test_a_png_with_transparency_is_accepted_and_becomes_a_jpeg(app, dezhou, make_resident):
    logged_in(dezhou, make_resident)
    response = upload(
        dezhou,
        image_bytes(fmt="PNG", mode="RGBA", color=(0, 0, 0, 0)),
        filename="me.png",
        content_type="image/png",
    )
    assert response.status_code == 302
    [path] = stored_files(app)
    with Image.open(path) as image:
        assert image.format == "JPEG" and image.getpixel((5, 5)) == (255, 255, 255)


def _fifty_megapixel_png() -> bytes:
    out = io.BytesIO()
    Image.new("1", (7072, 7072), 1).save(out, "PNG")  # 1 bit per pixel: ~6 MB in memory
    return out.getvalue()


def _truncated_jpeg() -> bytes:
    data = _noisy_jpeg()
    return data[: len(data) // 2]


def _noisy_jpeg() -> bytes:
    image = Image.effect_noise((W, H), 64).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


REFUSED = [
    (
        "text renamed .jpg",
        lambda: b"this is not a photo\n" * 50,
        "The file is not a JPEG or PNG photo.",
    ),
    (
        "a GIF",
        lambda: image_bytes(fmt="GIF", mode="L", color=100),
        "The file is not a JPEG or PNG photo.",
    ),
    ("50-megapixel PNG", _fifty_megapixel_png, "The photo has far too many pixels."),
    ("truncated JPEG", _truncated_jpeg, "The photo file is damaged or incomplete."),
    ("empty upload", lambda: b"", "The file is empty."),
    ("wrong size", lambda: image_bytes((300, 400)), "It must be 358 × 441 pixels"),
    ("wrong proportions", lambda: image_bytes((W * 2, H * 2 + 100)), "It must be 358 × 441 pixels"),
    ("landscape", lambda: image_bytes((H, W)), "It must be 358 × 441 pixels"),
    ("over max_bytes", lambda: b"\xff\xd8\xff" + b"\0" * 2_000_000, "larger than 2,000 KB"),
]


@pytest.mark.parametrize(("case", "make", "message"), REFUSED, ids=[case[0] for case in REFUSED])
def test_a_bad_upload_gets_a_clear_message_and_stores_nothing(
    app, dezhou, make_resident, case, make, message
):
    logged_in(dezhou, make_resident)
    response = upload(dezhou, make())
    page = text(response)
    assert response.status_code == 200
    assert 'id="photo-error"' in page and message in page
    assert "Nothing has been saved" in page
    assert photos(app) == [] and stored_files(app) == []


def test_no_file_at_all_is_refused(app, dezhou, make_resident):
    logged_in(dezhou, make_resident)
    response = dezhou.submit("/card-collection/photo?lang=en", {"upload": "1"})
    assert "The file is empty." in text(response) and photos(app) == []


def test_a_new_upload_replaces_the_old_photo_and_its_file(app, dezhou, make_resident):
    logged_in(dezhou, make_resident)
    upload(dezhou, image_bytes())
    [first] = stored_files(app)
    upload(dezhou, image_bytes(color=(10, 20, 30)))
    [row] = photos(app)
    [second] = stored_files(app)
    assert second != first and second.name in row.storage_key


def test_a_rejected_photo_shows_why_and_an_approved_one_cannot_be_replaced(
    app, dezhou, make_resident
):
    logged_in(dezhou, make_resident)
    upload(dezhou, image_bytes())
    with app.test_request_context():
        with unit_of_work():
            services.review_photo(
                db.session.scalars(select(CardPhoto)).one(), approve=False, reason="背景不是白色"
            )
    page = text(dezhou.get("/card-collection/photo?lang=en"))
    assert "Rejected" in page and "背景不是白色" in page and 'type="file"' in page
    upload(dezhou, image_bytes())
    [row] = photos(app)
    assert row.status == "pending" and row.reject_reason is None
    with app.test_request_context():
        with unit_of_work():
            services.review_photo(db.session.scalars(select(CardPhoto)).one(), approve=True)
    page = text(dezhou.get("/card-collection/photo?lang=en"))
    assert "Approved" in page and 'type="file"' not in page


def test_a_failed_unit_of_work_keeps_the_old_photo_and_leaves_no_new_file(
    app, dezhou, make_resident
):
    """The new file goes when its row is not committed; the old one only once it is."""
    from shebao.people.models import Person

    resident = logged_in(dezhou, make_resident)
    upload(dezhou, image_bytes())
    [old_file] = stored_files(app)
    with app.test_request_context("/", headers={"Host": "dezhou.localhost"}):
        app.preprocess_request()
        city = app.extensions["shebao.cities"].get("dezhou")
        person = db.session.get(Person, resident.id)
        with pytest.raises(RuntimeError):
            data = image_bytes(color=(1, 2, 3))
            with services.photo_upload(city, person, data) as stored, unit_of_work():
                services.record_photo(city, person, stored)
                assert len(stored_files(app)) == 2
                raise RuntimeError("the commit fails")
    assert stored_files(app) == [old_file]
    [row] = photos(app)
    assert old_file.name in row.storage_key


def test_a_person_sees_only_their_own_photo(app, dezhou, client_for, make_resident):
    logged_in(dezhou, make_resident, 1)
    upload(dezhou, image_bytes())
    other = client_for("dezhou")
    logged_in(other, make_resident, 2)
    assert other.get("/card-collection/photo/image.jpg").status_code == 404
    assert "/card-collection/photo/image.jpg" not in text(other.get("/card-collection/photo"))


def test_the_size_tolerance():
    assert size_matches((W, H), W, H)
    assert size_matches((W * 3, H * 3), W, H)
    assert size_matches((716, 890), W, H)  # 1.2 % off the proportions
    assert not size_matches((716, 920), W, H)  # 4 % off
    assert not size_matches((W - 1, H), W, H)  # smaller than the spec
