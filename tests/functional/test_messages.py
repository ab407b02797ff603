"""消息中心: events become messages for the resident they concern, once; the header counts the
unread ones; the list pages, opens and marks them read (CSRF, only one's own); one city never
sees another's; the city's YAML says which kinds also go out by SMS, within the SMS limits."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from shebao.account.models import SmsCode
from shebao.core.extensions import db
from shebao.core.importing import import_file
from shebao.core.time import utcnow
from shebao.core.transactions import unit_of_work
from shebao.integrations.bank import BankNotice
from shebao.integrations.bank.sandbox import notice_body, sign
from shebao.messages.kinds import MessageKind
from shebao.messages.models import Message
from shebao.messages.services import post_message
from shebao.modules.card_collection import services as collection
from shebao.modules.card_collection.models import CardApplication, CardPhoto
from shebao.modules.contributions.importer import CONTRIBUTIONS
from shebao.modules.payments import services as payments
from shebao.modules.payments.amounts import Line
from shebao.modules.payments.models import PaymentOrder
from shebao.modules.printing.models import IssuedCertificate
from shebao.people.models import Person
from tests import factories  # noqa: F401  (loads every module's factories first)
from tests.account_helpers import fixture_query, fixture_say, text  # noqa: F401
from tests.factories_card_collection import card_application, card_photo

NEW_PASSWORD = "Next2026word"
LINES = [Line("pension", date(2026, 9, 1), Decimal("5000.00"), Decimal("1000.00"))]
CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def messages_of(app, person_id: int) -> list[tuple[str, dict, str | None, str | None]]:
    """(kind, params, link endpoint, sms outcome) of the person's messages, oldest first."""
    with app.app_context():
        return [
            (m.kind, m.params, m.link_endpoint, m.sms)
            for m in db.session.scalars(
                select(Message).where(Message.person_id == person_id).order_by(Message.id)
            )
        ]


def texts_to(outbox: list[dict], phone: str) -> list[str]:
    return [m["text"] for m in outbox if m["phone"] == phone]


def city(app, code: str):
    return app.extensions["shebao.cities"].get(code)


def unread_badge(page_text: str) -> str | None:
    found = re.search(r'class="user-tools__messages"[^>]*>(.*?)</a>', page_text, re.S)
    return None if found is None else re.sub(r"<[^>]+>", "", found.group(1)).strip()


def csrf_of(client, path: str = "/account/change-password") -> str:
    return CSRF_INPUT.search(client.get(path).get_data(as_text=True)).group(1)


def post(app, code: str, person_id: int, kind: MessageKind, **values) -> int | None:
    with app.app_context(), unit_of_work():
        return post_message(city(app, code), person_id, kind, **values)


# --- payments ------------------------------------------------------------------------------


@pytest.fixture
def paying_order(app, make_resident):
    """A Binzhou order of ``seq``'s resident, paying at icbc (each step its own unit of work)."""

    def make(seq: int = 1, code: str = "binzhou"):
        resident = make_resident(code, seq, category="flexible")
        loaded = city(app, code)
        with app.app_context():
            person = db.session.get(Person, resident.id)
            with unit_of_work():
                order = payments.create_order(loaded, person, "flexible", "flexible", LINES)
            with unit_of_work():
                assert payments.confirm(loaded, order)
            payments.open_bank_payment(loaded, order, "icbc", ["icbc"], "/")
            with unit_of_work():
                payments.mark_paying(loaded, order, "icbc")
            return resident, order.number

    return make


def bank_says(client, number: str, outcome: str, transaction: str = "TX1"):
    from shebao.core.settings import DEV_BANK_SECRET

    body = notice_body(
        BankNotice("binzhou", "icbc", number, transaction, Decimal("1000.00"), outcome)
    )
    return client.post(
        "/payments/notify/icbc",
        data=body,
        headers={
            "X-Shebao-Signature": sign(DEV_BANK_SECRET, body),
            "Content-Type": "application/json",
        },
    )


def test_a_paid_order_is_one_message_and_one_sms_however_often_the_bank_says_so(
    app, binzhou, paying_order, sms_outbox
):
    resident, number = paying_order()
    assert bank_says(binzhou, number, "paid").get_data(as_text=True) == "OK applied"
    assert bank_says(binzhou, number, "paid").get_data(as_text=True) == "OK duplicate"
    # The same payment under another transaction id is kept for refund, not told again.
    assert bank_says(binzhou, number, "paid", "TX2").get_data(as_text=True) == "OK refund"
    assert messages_of(app, resident.id) == [
        ("order_paid", {"order": number, "amount": "1000.00"}, "payments.order", "sent")
    ]
    # Binzhou's YAML sends order_paid by SMS: one text, in Chinese, naming the order.
    [sms] = texts_to(sms_outbox(), resident.phone)
    assert sms.startswith("[滨州市] 缴费成功：") and number in sms and "1,000.00" in sms

    assert binzhou.login(resident.id_number, resident.password).status_code == 302
    page = text(binzhou.get("/messages/"))
    assert "缴费成功" in page and f"订单{number}的1,000.00元缴费已到账" in page
    english = text(binzhou.get("/messages/?lang=en"))
    assert "Payment received" in english
    assert f"Your payment of 1,000.00 yuan for order {number} was received." in english


def test_a_failed_and_an_expired_order_are_told_once_each(app, binzhou, paying_order, sms_outbox):
    failed_by, failed = paying_order(1)
    assert bank_says(binzhou, failed, "declined").get_data(as_text=True) == "OK applied"
    assert bank_says(binzhou, failed, "declined").get_data(as_text=True) == "OK duplicate"
    assert [m[0] for m in messages_of(app, failed_by.id)] == ["order_failed"]
    # order_failed is in Binzhou's sms list.
    assert len(texts_to(sms_outbox(), failed_by.phone)) == 1

    expired_by, expired = paying_order(2)
    loaded = city(app, "binzhou")
    with app.app_context():
        order = db.session.scalar(select(PaymentOrder).where(PaymentOrder.number == expired))
        with unit_of_work():
            assert payments.expire_order(loaded, order, None) == "expired"
        with unit_of_work():
            assert payments.expire_order(loaded, order, None) == ""
    assert messages_of(app, expired_by.id) == [
        ("order_expired", {"order": expired, "amount": "1000.00"}, "payments.order", None)
    ]
    # order_expired is not in Binzhou's sms list: no text.
    assert texts_to(sms_outbox(), expired_by.phone) == []


def test_the_message_opens_the_order_and_is_then_read(app, binzhou, paying_order):
    resident, number = paying_order()
    bank_says(binzhou, number, "paid")
    assert binzhou.login(resident.id_number, resident.password).status_code == 302
    assert unread_badge(binzhou.get("/").get_data(as_text=True)) == "消息 （1条未读）"
    [message_id] = [m.id for m in stored(app, resident.id)]
    opened = binzhou.post(
        f"/messages/{message_id}/read", data={"csrf_token": csrf_of(binzhou), "open": "1"}
    )
    assert opened.status_code == 302 and opened.headers["Location"] == f"/payments/orders/{number}"
    assert binzhou.get(opened.headers["Location"]).status_code == 200
    assert unread_badge(binzhou.get("/").get_data(as_text=True)) == "消息"


def stored(app, person_id: int) -> list[Message]:
    with app.app_context():
        rows = db.session.scalars(
            select(Message).where(Message.person_id == person_id).order_by(Message.id)
        ).all()
        db.session.expunge_all()
        return rows


# --- card collection -----------------------------------------------------------------------


def test_card_application_decisions_and_a_rejected_photo_are_messages(
    app, dezhou, make_resident, sms_outbox
):
    resident = make_resident("dezhou", 1)
    with app.app_context():
        person = db.session.get(Person, resident.id)
        application = card_application(
            "dezhou", person=person, status="submitted", submitted_at=utcnow()
        )
        photo = card_photo("dezhou", person=person)
        db.session.commit()
        application_id, photo_id = application.id, photo.id

    def decide(accept: bool, reason: str = ""):
        with app.app_context(), unit_of_work():
            row = db.session.get(CardApplication, application_id)
            collection.decide_application(row, accept=accept, reason=reason)

    decide(False, "地址不完整")
    with pytest.raises(collection.CollectionError):
        decide(False, "again")  # only a submitted application is decided: nothing more told
    with app.app_context(), unit_of_work():
        row = db.session.get(CardApplication, application_id)
        row.status, row.submitted_at = "submitted", utcnow() + timedelta(seconds=1)
    decide(True)
    with app.app_context(), unit_of_work():
        collection.review_photo(
            db.session.get(CardPhoto, photo_id), approve=False, reason="背景不是白色"
        )

    assert messages_of(app, resident.id) == [
        ("card_application_returned", {"reason": "地址不完整"}, "card_collection.info", "sent"),
        ("card_application_accepted", {}, "card_collection.info", None),
        ("photo_rejected", {"reason": "背景不是白色"}, "card_collection.photo", "limited"),
    ]
    # Dezhou texts returned applications and rejected photos, but one phone gets one text a
    # minute (auth.sms.resend_seconds): the first went out, the photo's was held back.
    sent = texts_to(sms_outbox(), resident.phone)
    assert len(sent) == 1 and "地址不完整" in sent[0]

    assert dezhou.login(resident.id_number, resident.password).status_code == 302
    page = text(dezhou.get("/messages/"))
    assert "您的社保卡申请被退回：地址不完整。请修改后重新提交。" in page
    assert "您的社保卡照片未通过审核：背景不是白色。请重新上传照片。" in page
    assert "社保卡申请已受理" in page


# --- account -------------------------------------------------------------------------------


def change_password(client, old: str, new: str):
    return client.submit(
        "/account/change-password",
        {"old_password": old, "new_password": new, "confirm": new},
    )


def test_a_password_change_is_a_message_and_a_text_where_the_city_says_so(
    app, binzhou, dezhou, make_resident, sms_outbox
):
    mine = make_resident("binzhou", 1)
    assert binzhou.login(mine.id_number, mine.password).status_code == 302
    assert unread_badge(binzhou.get("/").get_data(as_text=True)) == "消息"
    binzhou.get("/?lang=en")  # the resident reads English; the text goes out in Chinese
    assert change_password(binzhou, mine.password, NEW_PASSWORD).status_code == 302
    assert messages_of(app, mine.id) == [
        ("password_changed", {}, "account.change_password", "sent")
    ]
    [sms] = texts_to(sms_outbox(), mine.phone)
    assert sms.startswith("[滨州市] 密码已修改：您账号的密码已修改")
    assert unread_badge(binzhou.get("/").get_data(as_text=True)) == "Messages (1 unread)"
    assert unread_badge(binzhou.get("/?lang=zh_CN").get_data(as_text=True)) == "消息 （1条未读）"

    theirs = make_resident("dezhou", 2)
    assert dezhou.login(theirs.id_number, theirs.password).status_code == 302
    assert change_password(dezhou, theirs.password, NEW_PASSWORD).status_code == 302
    # Dezhou does not text password changes.
    assert messages_of(app, theirs.id) == [
        ("password_changed", {}, "account.change_password", None)
    ]
    assert texts_to(sms_outbox(), theirs.phone) == []


def test_a_login_from_a_new_browser_is_told_and_a_known_one_is_not(
    app, client_for, make_resident, sms_outbox
):
    resident = make_resident("binzhou", 1)
    first, second = client_for("binzhou"), client_for("binzhou")
    assert first.login(resident.id_number, resident.password).status_code == 302
    assert messages_of(app, resident.id) == []  # the account's first browser is just kept
    # The same browser (its device cookie) logging in again, in a new session.
    again = client_for("binzhou")
    again.set_cookie(
        "shebao_device",
        first.get_cookie("shebao_device", domain="binzhou.localhost").value,
        domain="binzhou.localhost",
    )
    assert again.login(resident.id_number, resident.password).status_code == 302
    assert messages_of(app, resident.id) == []
    assert second.login(resident.id_number, resident.password).status_code == 302
    assert messages_of(app, resident.id) == [
        ("new_device_login", {}, "account.change_password", "sent")
    ]
    assert len(texts_to(sms_outbox(), resident.phone)) == 1
    # A forged or garbled device cookie counts as a new browser, never as an error.
    third = client_for("binzhou")
    third.set_cookie("shebao_device", "x" * 500, domain="binzhou.localhost")
    assert third.login(resident.id_number, resident.password).status_code == 302
    assert [m[0] for m in messages_of(app, resident.id)] == ["new_device_login"] * 2


def test_a_reset_by_security_questions_is_a_message(app, make_resident):
    resident = make_resident("dezhou", 1)
    from shebao.account.models import Account
    from shebao.account.questions import SECURITY_QUESTIONS
    from shebao.account.services.recovery import recover_by_questions
    from shebao.account.services.settings import set_security_questions

    loaded = city(app, "dezhou")
    questions = list(SECURITY_QUESTIONS)[:3]
    with app.app_context():
        account = db.session.scalar(select(Account).where(Account.person_id == resident.id))
        with unit_of_work():
            set_security_questions(
                loaded,
                account,
                resident.password,
                list(zip(questions, ["北京", "上海", "天津"], strict=True)),
            )
    with app.test_request_context("/", headers={"Host": "dezhou.localhost"}):
        app.preprocess_request()
        with unit_of_work():
            recover_by_questions(
                loaded, resident.id_number, ["北京", "上海", "天津"], NEW_PASSWORD, NEW_PASSWORD
            )
    assert messages_of(app, resident.id) == [
        ("password_reset", {}, "account.change_password", None)
    ]


# --- SMS limits ----------------------------------------------------------------------------


def test_a_text_over_the_phones_limit_is_not_sent_but_the_message_stays(
    app, make_resident, sms_outbox
):
    resident = make_resident("binzhou", 1)
    with app.app_context():
        now = utcnow()
        db.session.add(
            SmsCode(
                city="binzhou",
                phone=resident.phone,
                purpose="register",
                code_hash="",
                created_at=now,
                expires_at=now,
                used=True,
            )
        )
        db.session.commit()
    post(app, "binzhou", resident.id, MessageKind.ORDER_PAID, params={"order": "X", "amount": "1"})
    assert messages_of(app, resident.id) == [
        ("order_paid", {"order": "X", "amount": "1"}, None, "limited")
    ]
    assert texts_to(sms_outbox(), resident.phone) == []


def test_a_resident_without_a_mobile_gets_the_message_only(app, make_resident, sms_outbox):
    resident = make_resident("binzhou", 1, account=False, phone=None)
    post(app, "binzhou", resident.id, MessageKind.ORDER_PAID, params={"order": "Y", "amount": "2"})
    assert messages_of(app, resident.id)[0][3] == "no_phone"
    assert sms_outbox() == []


# --- contributions and certificates --------------------------------------------------------


def test_imported_paid_months_are_one_message_per_person_and_not_told_twice(
    app, make_resident, tmp_path
):
    me = make_resident("binzhou", 1, account=False)
    other = make_resident("binzhou", 2, account=False)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "id_number",
            "insurance_type",
            "period",
            "base",
            "individual",
            "employer",
            "status",
            "payer",
        ]
    )
    for month in (1, 2, 3):
        for kind in ("pension", "medical"):
            writer.writerow(
                [me.id_number, kind, f"2026-0{month}", "5000", "400", "800", "paid", "单位"]
            )
    writer.writerow(
        [other.id_number, "pension", "2026-01", "5000", "400", "800", "arrears", "单位"]
    )
    path = tmp_path / "contributions.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    with app.app_context():
        import_file(CONTRIBUTIONS, "binzhou", path)
        import_file(CONTRIBUTIONS, "binzhou", path)
    assert messages_of(app, me.id) == [
        (
            "contributions_posted",
            {"months": 3, "first": "2026-01", "last": "2026-03"},
            "contributions.pension",
            None,
        )
    ]
    assert messages_of(app, other.id) == []  # months owed are not "recorded as paid"


def test_a_revoked_certificate_can_be_told_once(app, binzhou, make_resident):
    from shebao.modules.printing.issuing import tell_revoked

    resident = make_resident("binzhou", 1)
    with app.app_context():
        certificate = IssuedCertificate(
            city="binzhou",
            person_id=resident.id,
            kind="contribution_certificate",
            parameters={},
            serial="BZ2026000001",
            code_hash="0" * 64,
            content={},
            content_hash="0" * 64,
        )
        db.session.add(certificate)
        db.session.commit()
        loaded = city(app, "binzhou")
        with unit_of_work():
            assert tell_revoked(loaded, certificate, "信息有误") is not None
        with unit_of_work():
            assert tell_revoked(loaded, certificate, "信息有误") is None
    assert messages_of(app, resident.id) == [
        (
            "certificate_revoked",
            {"serial": "BZ2026000001", "reason": "信息有误"},
            "printing.contribution_certificate",
            None,
        )
    ]
    assert binzhou.login(resident.id_number, resident.password).status_code == 302
    page = text(binzhou.get("/messages/?lang=en"))
    assert "Certificate BZ2026000001 has been revoked: 信息有误." in page


# --- the list: read marks, paging, bad input -----------------------------------------------


@pytest.fixture
def reader(app, binzhou, make_resident):
    """A logged-in Binzhou resident with three unread messages, and another resident's one."""
    resident = make_resident("binzhou", 1)
    neighbour = make_resident("binzhou", 2)
    for number in range(3):
        post(app, "binzhou", resident.id, MessageKind.ORDER_EXPIRED, params={"order": f"N{number}"})
    theirs = post(app, "binzhou", neighbour.id, MessageKind.ORDER_EXPIRED, params={"order": "Z"})
    assert binzhou.login(resident.id_number, resident.password).status_code == 302
    return resident, neighbour, theirs


def unread_of(app, person_id: int) -> int:
    return sum(1 for m in stored(app, person_id) if m.read_at is None)


def test_mark_one_and_mark_all_as_read(app, binzhou, reader):
    resident, _neighbour, _theirs = reader
    assert unread_badge(binzhou.get("/").get_data(as_text=True)) == "消息 （3条未读）"
    first = stored(app, resident.id)[0].id
    marked = binzhou.post(f"/messages/{first}/read", data={"csrf_token": csrf_of(binzhou)})
    assert marked.status_code == 302 and marked.headers["Location"] == "/messages/"
    assert unread_of(app, resident.id) == 2
    page = binzhou.get("/messages/").get_data(as_text=True)
    assert page.count('class="message__state"') == 2
    everything = binzhou.post("/messages/read-all", data={"csrf_token": csrf_of(binzhou)})
    assert everything.status_code == 302
    assert unread_of(app, resident.id) == 0
    assert "全部消息已标为已读。" in text(binzhou.get("/messages/"))
    assert unread_badge(binzhou.get("/").get_data(as_text=True)) == "消息"


def test_marking_without_the_csrf_token_is_refused_and_changes_nothing(app, binzhou, reader):
    resident, _neighbour, _theirs = reader
    first = stored(app, resident.id)[0].id
    assert binzhou.post(f"/messages/{first}/read").status_code == 400
    assert binzhou.post("/messages/read-all", data={"csrf_token": "forged"}).status_code == 400
    assert unread_of(app, resident.id) == 3


def test_another_persons_message_cannot_be_marked_or_opened(app, binzhou, reader):
    resident, neighbour, theirs = reader
    for message_id in (theirs, 999999):
        refused = binzhou.post(
            f"/messages/{message_id}/read", data={"csrf_token": csrf_of(binzhou), "open": "1"}
        )
        assert refused.status_code == 302 and refused.headers["Location"] == "/messages/"
        assert "没有这条消息。" in text(binzhou.get("/messages/"))
    assert unread_of(app, neighbour.id) == 1
    assert unread_of(app, resident.id) == 3
    assert (
        binzhou.post("/messages/abc/read", data={"csrf_token": csrf_of(binzhou)}).status_code == 404
    )
    assert "Z" not in re.findall(r"订单(\w+)未在规定时间", text(binzhou.get("/messages/")))


def test_messages_are_paged_newest_first_and_bad_pages_say_so(app, binzhou, make_resident):
    resident = make_resident("binzhou", 1)
    for number in range(23):
        post(
            app,
            "binzhou",
            resident.id,
            MessageKind.ORDER_EXPIRED,
            params={"order": f"P{number:02d}"},
        )
    assert binzhou.login(resident.id_number, resident.password).status_code == 302

    def orders(page: str) -> list[str]:
        return re.findall(r"订单(P\d\d)未在规定时间", text(binzhou.get(f"/messages/{page}")))

    assert orders("") == [f"P{n:02d}" for n in range(22, 12, -1)]
    assert orders("?page=2") == [f"P{n:02d}" for n in range(12, 2, -1)]
    assert orders("?page=3") == ["P02", "P01", "P00"]
    for bad in ("?page=4", "?page=0", "?page=abc", "?page=²", "?page=" + "9" * 40):
        page = binzhou.get(f"/messages/{bad}")
        assert page.status_code == 200
        assert 'class="form-error" role="alert"' in page.get_data(as_text=True)
        assert orders(bad) == []
    # Marking from page 3 comes back to page 3.
    last = stored(app, resident.id)[0].id
    marked = binzhou.post(
        f"/messages/{last}/read?page=3", data={"csrf_token": csrf_of(binzhou, "/messages/?page=3")}
    )
    assert marked.headers["Location"] == "/messages/?page=3"


def test_pages_need_a_login(binzhou):
    page = binzhou.get("/messages/")
    assert page.status_code == 302 and "/account/login" in page.headers["Location"]


# --- cities --------------------------------------------------------------------------------


def test_one_citys_messages_are_never_seen_in_another(app, binzhou, dezhou, make_resident):
    # The same ID number is a person in both cities.
    here = make_resident("binzhou", 1)
    there = make_resident("dezhou", 1)
    assert here.id_number == there.id_number
    binzhou_message = post(
        app, "binzhou", here.id, MessageKind.ORDER_EXPIRED, params={"order": "BZ1"}
    )
    assert dezhou.login(there.id_number, there.password).status_code == 302
    assert "BZ1" not in text(dezhou.get("/messages/"))
    assert unread_badge(dezhou.get("/").get_data(as_text=True)) == "消息"
    refused = dezhou.post(f"/messages/{binzhou_message}/read", data={"csrf_token": csrf_of(dezhou)})
    assert refused.status_code == 302
    assert unread_of(app, here.id) == 1


def test_a_city_without_the_message_centre_posts_nothing_and_shows_no_count(
    app, linhu, make_resident
):
    resident = make_resident("linhu", 1)
    assert post(app, "linhu", resident.id, MessageKind.PASSWORD_CHANGED) is None
    assert messages_of(app, resident.id) == []
    assert linhu.login(resident.id_number, resident.password).status_code == 302
    assert unread_badge(linhu.get("/").get_data(as_text=True)) is None
    assert linhu.get("/messages/").status_code == 404


def test_the_sms_settings_are_per_city(city_of):
    assert city_of("binzhou").options("messages").sms == {
        MessageKind.ORDER_PAID,
        MessageKind.ORDER_FAILED,
        MessageKind.PASSWORD_CHANGED,
        MessageKind.NEW_DEVICE_LOGIN,
    }
    assert city_of("dezhou").options("messages").sms == {
        MessageKind.CARD_APPLICATION_RETURNED,
        MessageKind.PHOTO_REJECTED,
        MessageKind.ORDER_PAID,
    }
    assert not city_of("linhu").module_enabled("messages")


def test_an_unknown_kind_in_yaml_is_refused(tmp_path):
    from pydantic import ValidationError

    from shebao.modules.messages.options import MessagesOptions

    with pytest.raises(ValidationError):
        MessagesOptions(sms=["weather_report"])
    with pytest.raises(ValidationError):
        MessagesOptions(page_size=0)
