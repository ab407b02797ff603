"""社保卡信息采集 (Dezhou): the card application form, its states and every refused input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from shebao.core.extensions import db
from shebao.core.transactions import unit_of_work
from shebao.modules.card_collection import services
from shebao.modules.card_collection.models import CardApplication
from shebao.people.models import Person

GOOD = {
    "nationality": "中国",
    "ethnicity": "01",
    "phone": "13912345678",
    "address": "德州市德城区东风中路1号",
    "occupation": "教师",
    "bank": "icbc",
    "collection_point": "1",
}


def text(response) -> str:
    return response.get_data(as_text=True)


def applications(app) -> list[CardApplication]:
    with app.app_context():
        return list(db.session.scalars(select(CardApplication)))


def count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(CardApplication))


def logged_in(dezhou, make_resident, seq=1):
    resident = make_resident("dezhou", seq)
    dezhou.login(resident.id_number, resident.password)
    return resident


def test_the_form_shows_name_and_id_from_the_record_and_the_citys_lists(dezhou, make_resident):
    resident = logged_in(dezhou, make_resident)
    response = dezhou.get("/card-collection/info")
    page = text(response)
    assert response.status_code == 200 and page.count("<h1>") == 1
    assert "<h1>社保卡信息采集</h1>" in page
    assert resident.name in page and resident.id_number not in page  # masked
    assert resident.id_number[:4] in page
    assert "中国工商银行" in page and "德州银行" in page and "陵城区社保服务大厅" in page
    assert "汉族" in page or "Han" in page
    assert 'for="phone"' in page and 'for="bank"' in page and 'for="collection_point"' in page
    assert response.headers["Cache-Control"] == "no-store"
    assert count(dezhou.application) == 0  # looking stores nothing


def test_draft_then_submit_then_accepted_is_read_only(app, dezhou, make_resident):
    logged_in(dezhou, make_resident)
    draft = dezhou.submit("/card-collection/info", {"phone": "13912345678", "save": "1"})
    assert draft.status_code == 302
    [row] = applications(app)
    assert row.status == "draft" and row.phone == "13912345678" and row.bank is None
    page = text(dezhou.get("/card-collection/info?lang=en"))
    assert "Draft, not submitted yet" in page and 'value="13912345678"' in page

    submitted = dezhou.submit("/card-collection/info", {**GOOD, "submit": "1"})
    assert submitted.status_code == 302
    [row] = applications(app)
    assert row.status == "submitted" and row.bank == "icbc"
    assert row.collection_point == "德城区社保服务大厅" and row.submitted_at is not None
    assert "Submitted, waiting for the card office" in text(
        dezhou.get("/card-collection/info?lang=en")
    )

    # Still editable while submitted: a corrected submission updates the same row.
    dezhou.submit("/card-collection/info", {**GOOD, "bank": "boc", "submit": "1"})
    [row] = applications(app)
    assert row.bank == "boc" and count(app) == 1

    with app.test_request_context(headers={"Host": "dezhou.localhost"}):
        from flask import g

        g.city = app.extensions["shebao.cities"].get("dezhou")
        with unit_of_work():
            services.decide_application(db.session.get(CardApplication, row.id), accept=True)
    page = text(dezhou.get("/card-collection/info?lang=en"))
    assert "Accepted" in page and 'name="submit"' not in page and 'name="save"' not in page
    assert "Bank of China" in page
    refused = dezhou.submit(
        "/card-collection/info",
        {**GOOD, "bank": "icbc", "submit": "1"},
        form_page="/account/change-password",
    )
    assert refused.status_code == 200
    assert "can no longer be changed" in text(refused) or "不能" in text(refused)
    [row] = applications(app)
    assert row.bank == "boc" and row.status == "accepted"


def test_two_windows_saving_the_first_draft_at_once_keep_one_row(app, dezhou, make_resident):
    """The second window read "no application yet"; its insert loses to the unique key and is
    refused with a message, and its unit of work leaves the first window's row as it was."""
    resident = logged_in(dezhou, make_resident)
    dezhou.submit("/card-collection/info", {"phone": "13912345678", "save": "1"})
    with app.test_request_context("/", headers={"Host": "dezhou.localhost"}):
        app.preprocess_request()
        city = app.extensions["shebao.cities"].get("dezhou")
        person = db.session.get(Person, resident.id)
        with pytest.MonkeyPatch.context() as stale:
            stale.setattr(services, "application_of", lambda city, person: None)
            with pytest.raises(services.CollectionError) as refused, unit_of_work():
                services.save_application(city, person, GOOD, submit=True)
        assert "另一个窗口" in str(refused.value)  # "changed in another window at the same time"
    [row] = applications(app)
    assert row.status == "draft" and row.bank is None


def test_a_returned_application_shows_the_reason_and_can_be_submitted_again(
    app, dezhou, make_resident
):
    logged_in(dezhou, make_resident)
    dezhou.submit("/card-collection/info", {**GOOD, "submit": "1"})
    with app.test_request_context():
        row = db.session.scalars(select(CardApplication)).one()
        with unit_of_work():
            services.decide_application(row, accept=False, reason="地址不完整")
    page = text(dezhou.get("/card-collection/info?lang=en"))
    assert "Returned" in page and "地址不完整" in page
    dezhou.submit(
        "/card-collection/info", {**GOOD, "address": "德州市德城区东风中路1号3单元", "submit": "1"}
    )
    [row] = applications(app)
    assert row.status == "submitted" and row.return_reason is None and row.address.endswith("3单元")


BAD_INPUTS = [
    ({"phone": "1234"}, "phone", "Enter an 11-digit mobile number."),
    ({"phone": "139123456789"}, "phone", "Enter an 11-digit mobile number."),
    ({"phone": "<script>"}, "phone", "Enter an 11-digit mobile number."),
    ({"address": "路" * 129}, "address", "At most 128 characters."),
    ({"occupation": "x" * 10_000}, "occupation", "At most 64 characters."),
    ({"nationality": "x" * 33}, "nationality", "At most 32 characters."),
    ({"bank": "evilbank"}, "bank", "Choose one of the banks in the list."),
    ({"collection_point": "9"}, "collection_point", "Choose one of the places in the list."),
    (
        {"collection_point": "1' OR 1=1 --"},
        "collection_point",
        "Choose one of the places in the list.",
    ),
    ({"ethnicity": "99"}, "ethnicity", "Choose an ethnic group from the list."),
    ({"address": ""}, "address", "This field is required to submit the application."),
    ({"bank": ""}, "bank", "This field is required to submit the application."),
]


def test_every_bad_input_is_refused_next_to_its_field_keeps_the_input_and_stores_nothing(
    app, dezhou, make_resident
):
    logged_in(dezhou, make_resident)
    for change, name, message in BAD_INPUTS:
        data = {**GOOD, **change, "submit": "1"}
        response = dezhou.submit("/card-collection/info?lang=en", data)
        page = text(response)
        assert response.status_code == 200, change
        assert f'<p class="field-error" id="{name}-error">{message}</p>' in page, change
        assert "Nothing has been saved" in page
        assert 'value="德州市德城区东风中路1号"' in page or name == "address"  # kept
        assert "<script>" not in page
        assert count(app) == 0, change


def test_missing_fields_on_submit_are_each_named_but_a_draft_may_leave_them_empty(
    app, dezhou, make_resident
):
    logged_in(dezhou, make_resident)
    response = dezhou.submit("/card-collection/info?lang=en", {"submit": "1"})
    page = text(response)
    for name in ("nationality", "ethnicity", "phone", "address", "occupation", "bank"):
        assert f'id="{name}-error"' in page
    assert count(app) == 0
    # A bad value and missing fields are all named in one go.
    response = dezhou.submit("/card-collection/info?lang=en", {"phone": "12", "submit": "1"})
    page = text(response)
    assert "Enter an 11-digit mobile number." in page and 'id="bank-error"' in page
    assert 'id="address-error"' in page and count(app) == 0
    # A draft still refuses a bad value.
    response = dezhou.submit("/card-collection/info?lang=en", {"phone": "12", "save": "1"})
    assert 'id="phone-error"' in text(response) and count(app) == 0


def test_without_csrf_token_nothing_is_stored(app, dezhou, make_resident):
    resident = make_resident("dezhou", 1)
    assert dezhou.login(resident.id_number, resident.password).status_code == 302
    for data in ({**GOOD, "submit": "1"}, {**GOOD, "submit": "1", "csrf_token": "forged"}):
        response = dezhou.post("/card-collection/info", data=data)
        assert response.status_code == 400
        # The city's own error page, in the resident's language, says what to do.
        assert "德州市社会保险个人网上服务系统" in text(response)
        assert "表单未能受理，请刷新页面后重试。" in text(response)
        assert count(app) == 0
    # The same form with its token is taken: only the token was missing.
    dezhou.submit("/card-collection/info", {**GOOD, "submit": "1"})
    assert count(app) == 1


def test_one_person_never_sees_anothers_application(app, dezhou, client_for, make_resident):
    logged_in(dezhou, make_resident, 1)
    dezhou.submit("/card-collection/info", {**GOOD, "address": "甲的地址", "submit": "1"})
    other = client_for("dezhou")
    logged_in(other, make_resident, 2)
    page = text(other.get("/card-collection/info"))
    assert "甲的地址" not in page
    other.submit("/card-collection/info", {**GOOD, "address": "乙的地址", "save": "1"})
    assert sorted(row.address for row in applications(app)) == ["乙的地址", "甲的地址"]


def test_binzhou_has_no_card_collection(binzhou, make_resident):
    resident = make_resident("binzhou", 1)
    binzhou.login(resident.id_number, resident.password)
    assert binzhou.get("/card-collection/info").status_code == 404
    assert binzhou.get("/card-collection/photo").status_code == 404
    assert binzhou.get("/card-collection/photo/image.jpg").status_code == 404
