"""Reviewers' queues: decisions on card applications and photos, the resident's side, every
bad input (empty reason, decided already, another city's item), and the race of two reviewers."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from shebao.audit import AuditEvent
from shebao.core.extensions import db
from shebao.modules.card_collection.models import CardApplication, CardPhoto
from tests import factories
from tests.factories_card_collection import card_application, card_photo
from tests.staff_helpers import csrf_of, make_staff, staff_login


def text(response) -> str:
    return response.get_data(as_text=True)


def submitted(app, city: str, seq: int = 1, phone: str | None = None):
    with app.app_context():
        person = factories.person(city, seq)
        row = card_application(city, seq, person=person, status="submitted")
        if phone:
            row.phone = phone
        db.session.commit()
        return row.id, person.id


def application(app, row_id: int) -> CardApplication:
    with app.app_context():
        return db.session.get(CardApplication, row_id)


def decide(client, row_id: int, **data):
    token = csrf_of(client, "/staff/applications")
    return client.post(f"/staff/applications/{row_id}", data={"csrf_token": token, **data})


@pytest.fixture
def reviewer(app, dezhou):
    member = make_staff(app, "dezhou", "reviewer.a", "reviewer")
    staff_login(dezhou, member)
    return member


def test_the_queue_lists_submitted_applications_oldest_first_with_masked_numbers(
    app, dezhou, reviewer
):
    submitted(app, "dezhou", 1)
    submitted(app, "dezhou", 2)
    with app.app_context():
        card_application("dezhou", 3, status="draft")
        first, second = db.session.scalars(
            select(CardApplication)
            .where(CardApplication.status == "submitted")
            .order_by(CardApplication.id)
        ).all()
        from datetime import UTC, datetime

        first.submitted_at = datetime(2026, 3, 2, tzinfo=UTC)
        second.submitted_at = datetime(2026, 3, 1, tzinfo=UTC)
        names = [first.person_id, second.person_id]
        db.session.commit()
        people = {p.id: p for p in db.session.scalars(select(factories.Person))}
    page = text(dezhou.get("/staff/applications"))
    assert page.count('class="queue-item"') == 2
    older, newer = people[names[1]], people[names[0]]
    assert page.index(older.name) < page.index(newer.name)
    assert older.id_number not in page and older.id_number[:4] in page
    drafts = text(dezhou.get("/staff/applications?status=draft"))
    assert drafts.count('class="queue-item"') == 1


def test_returning_with_a_reason_reaches_the_residents_todo_and_phone(
    app, dezhou, client_for, reviewer, make_resident, sms_outbox
):
    resident = make_resident("dezhou", 7)
    with app.app_context():
        row = card_application(
            "dezhou", 7, person=db.session.get(factories.Person, resident.id), status="submitted"
        )
        db.session.commit()
        row_id = row.id
    response = decide(dezhou, row_id, reason="地址不完整，请写到门牌号", refuse="1")
    assert response.status_code == 302
    assert "申请已退回" in text(dezhou.get("/staff/applications"))
    saved = application(app, row_id)
    assert saved.status == "returned" and saved.return_reason == "地址不完整，请写到门牌号"
    home = client_for("dezhou")
    home.login(resident.id_number, resident.password)
    assert "地址不完整，请写到门牌号" in text(home.get("/todo/list"))
    [message] = [m for m in sms_outbox() if m["phone"] == saved.phone]
    assert "退回" in message["text"] and "地址不完整" in message["text"]
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.event == "staff.application_returned")
        ).one()
        assert event.staff_id == reviewer.id and event.person_id == resident.id
        assert event.detail["reason"] == "地址不完整，请写到门牌号"
        assert event.detail["role"] == "reviewer" and event.client_address


def test_accepting_needs_no_reason_and_tells_the_resident(app, dezhou, reviewer, sms_outbox):
    row_id, _person = submitted(app, "dezhou", 1, phone="13912340001")
    decide(dezhou, row_id, accept="1")
    assert application(app, row_id).status == "accepted"
    assert any("已受理" in m["text"] for m in sms_outbox() if m["phone"] == "13912340001")


def test_an_empty_reason_is_refused_and_changes_nothing(app, dezhou, reviewer, sms_outbox):
    row_id, _person = submitted(app, "dezhou", 1)
    response = decide(dezhou, row_id, reason="   ", refuse="1")
    assert response.status_code == 302
    assert "请填写原因" in text(dezhou.get("/staff/applications"))
    assert application(app, row_id).status == "submitted"
    assert sms_outbox() == []


def test_a_decision_on_an_item_already_decided_is_refused(app, dezhou, reviewer):
    row_id, _person = submitted(app, "dezhou", 1)
    decide(dezhou, row_id, accept="1")
    decide(dezhou, row_id, reason="迟到的退回", refuse="1")
    assert "刚刚已由他人处理" in text(dezhou.get("/staff/applications"))
    saved = application(app, row_id)
    assert saved.status == "accepted" and saved.return_reason is None


def test_a_reviewer_cannot_act_on_another_citys_application_by_id(app, dezhou, reviewer):
    row_id, _person = submitted(app, "binzhou", 1)
    decide(dezhou, row_id, accept="1")
    assert "本市没有这份社保卡申请" in text(dezhou.get("/staff/applications"))
    assert application(app, row_id).status == "submitted"
    with app.app_context():
        photo = card_photo("binzhou", 2)
        db.session.commit()
        photo_id = photo.id
    assert dezhou.get(f"/staff/photos/{photo_id}.jpg").status_code == 404
    token = csrf_of(dezhou, "/staff/photos")
    dezhou.post(f"/staff/photos/{photo_id}", data={"csrf_token": token, "accept": "1"})
    assert "本市没有这张照片" in text(dezhou.get("/staff/photos"))
    with app.app_context():
        assert db.session.get(CardPhoto, photo_id).status == "pending"


def test_photos_are_approved_or_rejected_with_a_reason(app, dezhou, reviewer, sms_outbox):
    with app.app_context():
        first, second = card_photo("dezhou", 1), card_photo("dezhou", 2)
        db.session.commit()
        ids = first.id, second.id
        phones = [db.session.get(factories.Person, row.person_id).phone for row in (first, second)]
    token = csrf_of(dezhou, "/staff/photos")
    dezhou.post(f"/staff/photos/{ids[0]}", data={"csrf_token": token, "accept": "1"})
    dezhou.post(f"/staff/photos/{ids[1]}", data={"csrf_token": token, "refuse": "1", "reason": ""})
    dezhou.post(
        f"/staff/photos/{ids[1]}",
        data={"csrf_token": token, "refuse": "1", "reason": "背景不是白色"},
    )
    with app.app_context():
        rows = {row.id: row for row in db.session.scalars(select(CardPhoto))}
    assert rows[ids[0]].status == "approved"
    assert rows[ids[1]].status == "rejected" and rows[ids[1]].reject_reason == "背景不是白色"
    # The console texts the approval itself; Dezhou's message centre texts a rejection
    # (modules.messages.sms), so the console does not text it a second time.
    texts = {phone: [m["text"] for m in sms_outbox() if m["phone"] == phone] for phone in phones}
    assert texts[phones[0]] == ["【德州市】您的证件照已审核通过。"]
    assert len(texts[phones[1]]) == 1 and "背景不是白色" in texts[phones[1]][0]
    with app.app_context():
        details = {
            event.event: event.detail
            for event in db.session.scalars(
                select(AuditEvent).where(AuditEvent.event.like("staff.photo_%"))
            )
        }
    assert details["staff.photo_approved"]["photo"] == ids[0]
    assert details["staff.photo_approved"]["reason"] == ""
    assert details["staff.photo_rejected"]["photo"] == ids[1]
    assert details["staff.photo_rejected"]["reason"] == "背景不是白色"


def _decide_at_once(barrier, answers, row_id, client, token, data):
    barrier.wait()
    answers.append(client.post(f"/staff/applications/{row_id}", data={"csrf_token": token, **data}))


def test_two_reviewers_deciding_at_once_one_decision_counts(app, client_for, sms_outbox):
    """Real threads, two reviewers, one application, many rounds: exactly one decision."""
    clients = []
    for name in ("reviewer.a", "reviewer.b"):
        client = client_for("dezhou")
        staff_login(client, make_staff(app, "dezhou", name, "reviewer"))
        clients.append((client, csrf_of(client, "/staff/applications")))
    for round_number in range(5):
        row_id, _person = submitted(app, "dezhou", 10 + round_number)
        barrier = threading.Barrier(2)
        answers = []

        decisions = ({"accept": "1"}, {"refuse": "1", "reason": "照片不清"})
        threads = [
            threading.Thread(
                target=_decide_at_once, args=(barrier, answers, row_id, client, token, data)
            )
            for (client, token), data in zip(clients, decisions, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert all(answer.status_code == 302 for answer in answers)
        with app.app_context():
            decisions = db.session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(
                    AuditEvent.event.in_(
                        ["staff.application_accepted", "staff.application_returned"]
                    ),
                    AuditEvent.detail["application"].as_integer() == row_id,
                )
            )
        assert decisions == 1
        assert application(app, row_id).status in {"accepted", "returned"}
    # One SMS per application, never two.
    assert len(sms_outbox()) == 5
    flashes = [text(client.get("/staff/applications")) for client, _token in clients]
    assert any("刚刚已由他人处理" in page for page in flashes)
