"""Unfinished card collection in Dezhou's to-do list (待办事项), until it is done."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from shebao.core.extensions import db
from shebao.core.transactions import unit_of_work
from shebao.modules.card_collection import services
from shebao.modules.card_collection.models import CardApplication, CardPhoto

GOOD = {
    "nationality": "中国",
    "ethnicity": "01",
    "phone": "13912345678",
    "address": "德州市德城区东风中路1号",
    "occupation": "教师",
    "bank": "icbc",
    "collection_point": "2",
}


def text(response) -> str:
    return response.get_data(as_text=True)


def todo(client) -> str:
    """The to-do list's table only (the menu links to the same pages)."""
    page = text(client.get("/todo/list?lang=en"))
    main = page.split("<h1>", 1)[1]
    return main.split("<table>", 1)[1].split("</table>", 1)[0] if "<table>" in main else main


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (358, 441), (220, 220, 220)).save(out, "JPEG")
    return out.getvalue()


def test_unfinished_collection_appears_and_disappears(app, dezhou, make_resident):
    resident = make_resident("dezhou", 1)
    dezhou.login(resident.id_number, resident.password)
    assert "You have no unfinished business" in todo(dezhou)  # nothing started, nothing to do

    dezhou.submit("/card-collection/info", {"phone": "13912345678", "save": "1"})
    page = todo(dezhou)
    assert "Draft, not submitted yet" in page and 'href="/card-collection/info" aria-label' in page
    assert "No photo uploaded yet" in page and 'href="/card-collection/photo" aria-label' in page

    dezhou.submit("/card-collection/info", {**GOOD, "submit": "1"})
    page = todo(dezhou)
    assert 'href="/card-collection/info" aria-label' not in page and "No photo uploaded yet" in page

    with app.test_request_context():
        with unit_of_work():
            services.decide_application(
                db.session.scalars(select(CardApplication)).one(),
                accept=False,
                reason="职业填写有误",
            )
    page = todo(dezhou)
    assert "Returned: 职业填写有误" in page and 'href="/card-collection/info" aria-label' in page

    dezhou.submit("/card-collection/info", {**GOOD, "submit": "1"})
    dezhou.submit(
        "/card-collection/photo",
        {"photo": (io.BytesIO(jpeg()), "me.jpg", "image/jpeg"), "upload": "1"},
        content_type="multipart/form-data",
    )
    assert "You have no unfinished business" in todo(dezhou)

    with app.test_request_context():
        with unit_of_work():
            services.review_photo(
                db.session.scalars(select(CardPhoto)).one(), approve=False, reason="照片模糊"
            )
    page = todo(dezhou)
    assert "Photo rejected: 照片模糊" in page and 'href="/card-collection/photo" aria-label' in page
    assert 'href="/card-collection/info" aria-label' not in page

    dezhou.submit(
        "/card-collection/photo",
        {"photo": (io.BytesIO(jpeg()), "me.jpg", "image/jpeg"), "upload": "1"},
        content_type="multipart/form-data",
    )
    assert "You have no unfinished business" in todo(dezhou)


def test_anothers_unfinished_collection_is_not_in_my_list(dezhou, client_for, make_resident):
    first = make_resident("dezhou", 1)
    dezhou.login(first.id_number, first.password)
    dezhou.submit("/card-collection/info", {"phone": "13912345678", "save": "1"})
    other = client_for("dezhou")
    second = make_resident("dezhou", 2)
    other.login(second.id_number, second.password)
    assert "You have no unfinished business" in todo(other)


def test_demo_data_has_returned_applications_and_reseeding_replaces_them(app, city_of):
    from shebao.seeding import seed_city

    with app.app_context():
        seed_city(city_of("dezhou"), persons=120, seed=3)
        db.session.commit()
        first = [
            (row.status, row.bank, row.return_reason)
            for row in db.session.scalars(select(CardApplication).order_by(CardApplication.id))
        ]
        seed_city(city_of("dezhou"), persons=120, seed=3)
        db.session.commit()
        again = [
            (row.status, row.bank, row.return_reason)
            for row in db.session.scalars(select(CardApplication).order_by(CardApplication.id))
        ]
    assert len(first) == 3 and all(status == "returned" and reason for status, _, reason in first)
    assert again == first  # deterministic, and the old rows went with their persons
