"""Resident help, certificate revocation, refunds and reconciliation, announcements and the
audit log: what each does, and each bad input refused with nothing changed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from shebao.account.models import Account, LoginThrottle
from shebao.audit import AuditEvent
from shebao.core.extensions import db
from shebao.core.time import local_today, utcnow
from shebao.modules.payments.models import BankNotification
from shebao.modules.printing.models import IssuedCertificate
from shebao.staff.models import Announcement
from tests import factories  # noqa: F401 - loads every factory module first
from tests.factories_payments import bank_notification, payment_order
from tests.factories_printing import issued_certificate
from tests.staff_helpers import make_staff, staff_login, staff_post


def text(response) -> str:
    return response.get_data(as_text=True)


def staff_client(app, client_for, city: str, *roles: str, name: str = "member"):
    client = client_for(city)
    member = make_staff(app, city, name, *roles)
    staff_login(client, member)
    client.member = member
    return client


def audit_events(app, event: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.event == event)))


# Resident help ------------------------------------------------------------------------------


def lock(client, resident, times=5):
    for _ in range(times):
        client.login(resident.id_number, "Wrong2026pass")


def test_lookup_by_full_id_shows_the_state_masked_and_unlock_needs_a_reason(
    app, client_for, make_resident
):
    resident = make_resident("dezhou", 3)
    lock(client_for("dezhou"), resident)
    staff = staff_client(app, client_for, "dezhou", "service")
    response = staff_post(staff, "/staff/help", {"id_number": resident.id_number}, "/staff/help")
    assert response.status_code == 302
    page = text(staff.get(response.headers["Location"]))
    assert resident.id_number not in page and resident.id_number[:4] in page
    assert "已注册" in page and "锁定至" in page and "未锁定" not in page
    path = response.headers["Location"]
    refused = staff_post(staff, f"{path}/unlock", {"unlock-reason": "  "}, path)
    assert refused.status_code == 400 and "请填写此项操作的原因" in text(refused)
    with app.app_context():
        assert db.session.scalar(select(LoginThrottle.locked_until)) is not None
    done = staff_post(staff, f"{path}/unlock", {"unlock-reason": "本人持身份证到大厅"}, path)
    assert done.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(LoginThrottle.locked_until)) is None
    [event] = audit_events(app, "staff.resident_unlocked")
    assert event.detail["reason"] == "本人持身份证到大厅" and event.person_id == resident.id
    assert client_for("dezhou").login(resident.id_number, resident.password).status_code == 302


@pytest.mark.parametrize("typed", ["37140219850312011", "ABC", "371402198513120115"])
def test_a_malformed_id_number_is_refused(app, client_for, typed):
    staff = staff_client(app, client_for, "dezhou", "service")
    response = staff_post(staff, "/staff/help", {"id_number": typed}, "/staff/help")
    assert response.status_code == 200 and "请输入完整的身份证号码" in text(response)


def test_an_unknown_or_other_citys_resident_is_not_found(app, client_for, make_resident):
    other = make_resident("binzhou", 4)
    staff = staff_client(app, client_for, "dezhou", "service")
    response = staff_post(staff, "/staff/help", {"id_number": other.id_number}, "/staff/help")
    assert "本市没有这个身份证号码的参保人" in text(response)
    assert staff.get(f"/staff/help/{other.id}").status_code == 404


def test_reset_in_a_default_password_city_restores_the_default_with_a_forced_change(
    app, client_for, make_resident
):
    resident = make_resident("dezhou", 5)
    home = client_for("dezhou")
    home.login(resident.id_number, resident.password)
    staff = staff_client(app, client_for, "dezhou", "service")
    path = f"/staff/help/{resident.id}"
    staff_post(staff, f"{path}/reset", {"reset-reason": "忘记密码，本人到场"}, path)
    with app.app_context():
        account = db.session.scalar(select(Account).where(Account.person_id == resident.id))
        assert account.password_hash is None and account.must_change_password
    # The resident's open session has ended; the default password works, with a forced change.
    assert home.get("/personal-info/basic").status_code == 302
    response = client_for("dezhou").login(resident.id_number, "888888")
    assert "change-password" in response.headers["Location"]


def test_reset_in_a_registration_city_sends_a_new_password_to_the_reserved_phone(
    app, client_for, make_resident, sms_outbox
):
    resident = make_resident("binzhou", 6)
    staff = staff_client(app, client_for, "binzhou", "service")
    path = f"/staff/help/{resident.id}"
    staff_post(staff, f"{path}/reset", {"reset-reason": "忘记密码，本人到场"}, path)
    [message] = sms_outbox()
    assert message["phone"] == resident.phone and "服务大厅已重置您的密码" in message["text"]
    new_password = message["text"].split("新密码为 ")[1].split("，")[0]
    response = client_for("binzhou").login(resident.id_number, new_password)
    assert response.status_code == 302
    [event] = audit_events(app, "staff.resident_password_reset")
    assert event.detail["how"] == "sms" and event.detail["reason"] == "忘记密码，本人到场"


def test_reset_without_a_reason_changes_nothing(app, client_for, make_resident, sms_outbox):
    resident = make_resident("binzhou", 6)
    staff = staff_client(app, client_for, "binzhou", "service")
    path = f"/staff/help/{resident.id}"
    response = staff_post(staff, f"{path}/reset", {"reset-reason": ""}, path)
    assert response.status_code == 400 and sms_outbox() == []
    with app.app_context():
        assert db.session.scalar(select(Account.sent_password_hash)) is None


# Certificates -------------------------------------------------------------------------------


def test_revoking_a_certificate_makes_the_verify_page_say_so(app, client_for):
    with app.app_context():
        certificate = issued_certificate("binzhou", 1, code="binzhou-code-revoke-000000001")
        db.session.commit()
        serial = certificate.serial
    public = client_for("binzhou")
    assert "真实有效" in text(public.get("/verify/binzhou-code-revoke-000000001")) or (
        public.get("/verify/binzhou-code-revoke-000000001").status_code == 200
    )
    staff = staff_client(app, client_for, "binzhou", "service")
    page = text(staff.get(f"/staff/certificates?serial={serial}"))
    assert serial in page
    form = f"/staff/certificates?serial={serial}"
    refused = staff_post(staff, "/staff/certificates", {"serial": serial, "reason": ""}, form)
    assert refused.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(IssuedCertificate.revoked_at)) is None
    staff_post(staff, "/staff/certificates", {"serial": serial, "reason": "开具有误"}, form)
    verify = text(public.get("/verify/binzhou-code-revoke-000000001?lang=en"))
    assert "was revoked on" in verify and "genuine: it was issued" not in verify
    again = staff_post(staff, "/staff/certificates", {"serial": serial, "reason": "再次"}, form)
    assert "这份证明已经撤销" in text(again) or again.status_code == 302
    assert len(audit_events(app, "staff.certificate_revoked")) == 1


def test_another_citys_certificate_cannot_be_found_or_revoked(app, client_for):
    with app.app_context():
        serial = issued_certificate("dezhou", 2).serial
        db.session.commit()
    staff = staff_client(app, client_for, "binzhou", "service")
    assert staff.get(f"/staff/certificates?serial={serial}").status_code == 404
    staff_post(
        staff, "/staff/certificates", {"serial": serial, "reason": "x"}, "/staff/certificates"
    )
    with app.app_context():
        assert db.session.scalar(select(IssuedCertificate.revoked_at)) is None


# Money --------------------------------------------------------------------------------------


def test_a_payment_kept_for_refund_is_marked_refunded_once_with_the_reference(app, client_for):
    with app.app_context():
        order = payment_order("binzhou", 1, status="expired")
        notice = bank_notification("binzhou", 1, order=order, result="refund")
        db.session.commit()
        notice_id = notice.id
    staff = staff_client(app, client_for, "binzhou", "finance")
    page = text(staff.get("/staff/refunds"))
    assert "T-binzhou-1" in page
    bad = staff_post(staff, f"/staff/refunds/{notice_id}", {"reference": "x"}, "/staff/refunds")
    assert bad.status_code == 400 and "银行退款凭证号" in text(bad)
    staff_post(staff, f"/staff/refunds/{notice_id}", {"reference": "RF20260101"}, "/staff/refunds")
    twice = staff_post(
        staff, f"/staff/refunds/{notice_id}", {"reference": "RF20260102"}, "/staff/refunds"
    )
    assert "已经标记为已退款" in text(twice)
    with app.app_context():
        row = db.session.get(BankNotification, notice_id)
        assert row.refund_reference == "RF20260101" and row.refunded_at is not None


def test_reconciliation_lists_differences_and_downloads_as_csv(app, client_for):
    now = utcnow()
    with app.app_context():
        agreed = payment_order(
            "binzhou", 1, status="paid", bank="icbc", paid_at=now, bank_transaction="T-binzhou-1"
        )
        bank_notification("binzhou", 1, order=agreed, received_at=now)
        payment_order(
            "binzhou", 2, status="paid", bank="icbc", paid_at=now, bank_transaction="T-missing"
        )
        db.session.commit()
    staff = staff_client(app, client_for, "binzhou", "finance")
    day = local_today().isoformat()
    page = text(staff.get(f"/staff/reconciliation?bank=icbc&day={day}"))
    assert "共 2 行，1 处差异" in page and "无银行通知" in page
    csv = staff.get(f"/staff/reconciliation?bank=icbc&day={day}&format=csv")
    assert csv.mimetype == "text/csv"
    lines = text(csv).strip().splitlines()
    assert lines[0].startswith("order,transaction") and len(lines) == 3
    assert staff.get("/staff/reconciliation?bank=icbc&day=2026-13-45").status_code == 400
    assert staff.get("/staff/reconciliation?bank=nobank").status_code == 400


# Announcements ------------------------------------------------------------------------------

GOOD_NOTICE = {
    "title_zh": "春节期间服务安排",
    "title_en": "Service over the Spring Festival",
    "body_zh": "服务大厅**2月10日**至17日休息。详见[人社局](https://hrss.example.cn)。",
    "body_en": "The hall is **closed** 10-17 February.",
}


def publish(client, **values):
    return staff_post(
        client, "/staff/announcements/new", {**GOOD_NOTICE, **values}, "/staff/announcements/new"
    )


def test_an_announcement_shows_on_its_citys_home_page_only(app, client_for):
    editor = staff_client(app, client_for, "binzhou", "editor")
    assert publish(editor).status_code == 302
    home = text(client_for("binzhou").get("/"))
    assert "通知公告" in home and "春节期间服务安排" in home
    assert "春节期间服务安排" not in text(client_for("dezhou").get("/"))
    listing = text(client_for("binzhou").get("/notices/"))
    assert "春节期间服务安排" in listing
    with app.app_context():
        row = db.session.scalar(select(Announcement))
        assert "<strong>2月10日</strong>" in row.html_zh
        assert 'href="https://hrss.example.cn"' in row.html_zh
    detail = text(client_for("binzhou").get(f"/notices/{row.id}"))
    assert "<strong>2月10日</strong>" in detail
    assert client_for("dezhou").get(f"/notices/{row.id}").status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        "你好<script>alert(1)</script>",
        "[点我](javascript:alert(1))",
        "[点我](JaVa\tScRiPt:alert(1))",
        "<img src=x onerror=alert(1)>",
    ],
)
def test_an_announcement_with_script_is_refused(app, client_for, body):
    editor = staff_client(app, client_for, "binzhou", "editor")
    response = publish(editor, body_zh=body)
    assert response.status_code == 400 and "正文含有脚本" in text(response)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Announcement)) == 0


def test_an_announcement_needs_titles_and_a_sensible_window(app, client_for):
    editor = staff_client(app, client_for, "binzhou", "editor")
    assert "请填写标题" in text(publish(editor, title_en=" "))
    response = publish(editor, publish_from="2026-05-02T10:00", publish_until="2026-05-01T10:00")
    assert "发布结束时间必须晚于开始时间" in text(response)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Announcement)) == 0


def test_a_future_or_ended_announcement_is_not_shown(app, client_for):
    with app.app_context():
        from tests.factories_staff import announcement

        announcement("binzhou", 1, title_zh="未来的通知", publish_from=utcnow() + timedelta(days=1))
        announcement(
            "binzhou",
            2,
            title_zh="过期的通知",
            publish_from=datetime(2025, 1, 1, tzinfo=UTC),
            publish_until=datetime(2025, 2, 1, tzinfo=UTC),
        )
        db.session.commit()
    listing = text(client_for("binzhou").get("/notices/"))
    assert "未来的通知" not in listing and "过期的通知" not in listing


# Audit log ----------------------------------------------------------------------------------


def test_an_admin_reads_filters_and_exports_the_citys_audit_log(app, client_for):
    editor = staff_client(app, client_for, "binzhou", "editor", name="editor.b")
    publish(editor)
    admin = staff_client(app, client_for, "binzhou", "admin", name="admin.b")
    other = staff_client(app, client_for, "dezhou", "editor", name="editor.d")
    publish(other, title_zh="德州的通知")
    page = text(admin.get(f"/staff/audit?staff={editor.member.id}"))
    assert "staff.announcement_published" in page and "staff_login" in page
    csv = text(admin.get("/staff/audit?format=csv&event=staff.announcement_published"))
    rows = csv.strip().splitlines()
    assert rows[0].startswith("time,staff,role,event") and len(rows) == 2
    assert "editor.b" in rows[1] and "editor.d" not in csv
    assert admin.get("/staff/audit?day=2026-02-30").status_code == 400
    # No page changes or deletes an entry.
    for method in ("POST", "PUT", "DELETE"):
        assert admin.open("/staff/audit", method=method).status_code == 405


# Staff accounts -----------------------------------------------------------------------------


def test_an_admin_changes_roles_and_deactivates_with_a_reason(app, client_for):
    admin = staff_client(app, client_for, "dezhou", "admin", name="admin.d")
    colleague = client_for("dezhou")
    member = make_staff(app, "dezhou", "colleague", "reviewer")
    staff_login(colleague, member)
    page = "/staff/members"
    staff_post(
        admin, f"/staff/members/{member.id}/roles", {"roles": ["editor"], "reason": ""}, page
    )
    assert "请填写此项操作的原因" in text(admin.get(page))
    staff_post(
        admin, f"/staff/members/{member.id}/roles", {"roles": ["editor"], "reason": "调岗"}, page
    )
    assert colleague.get("/staff/announcements").status_code == 200
    assert colleague.get("/staff/applications").status_code == 403
    staff_post(admin, f"/staff/members/{member.id}/active", {"active": "0", "reason": "离职"}, page)
    assert colleague.get("/staff/").status_code == 302  # the session ended
    assert staff_login(colleague, member, code=None).status_code == 200  # and no new one
    events = {e.event for e in audit_events(app, "staff.member_deactivated")}
    assert events == {"staff.member_deactivated"}


def test_an_admin_of_one_city_cannot_change_another_citys_member(app, client_for):
    admin = staff_client(app, client_for, "dezhou", "admin", name="admin.d")
    other = make_staff(app, "binzhou", "someone", "reviewer")
    response = staff_post(
        admin,
        f"/staff/members/{other.id}/roles",
        {"roles": ["admin"], "reason": "x"},
        "/staff/members",
    )
    assert response.status_code == 404
    from shebao.staff.models import StaffMember

    with app.app_context():
        assert db.session.get(StaffMember, other.id).roles == "reviewer"


def test_creating_a_member_refuses_bad_names_and_missing_roles(app, client_for):
    admin = staff_client(app, client_for, "dezhou", "admin", name="admin.d")
    page = "/staff/members"
    bad = staff_post(admin, page, {"username": "X!", "name": "张三", "roles": ["reviewer"]}, page)
    assert bad.status_code == 400 and "用户名为 3 至 32 个字符" in text(bad)
    none = staff_post(admin, page, {"username": "zhang.san", "name": "张三"}, page)
    assert none.status_code == 400 and "请至少从列表中选择一个角色" in text(none)
    taken = staff_post(
        admin, page, {"username": "admin.d", "name": "张三", "roles": ["editor"]}, page
    )
    assert taken.status_code == 400 and "本市已有这个用户名" in text(taken)
    good = staff_post(
        admin, page, {"username": "zhang.san", "name": "张三", "roles": ["editor"]}, page
    )
    assert good.status_code == 200 and 'id="enrolment-code"' in text(good)


# Paging -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("/staff/applications?page=2", "没有第 2 页"),
        ("/staff/applications?status=draft&page=3", "没有第 3 页"),
        ("/staff/photos?status=rejected&page=2", "没有第 2 页"),
        ("/staff/announcements?page=4", "没有第 4 页"),
        ("/staff/audit?page=99", "没有第 99 页"),
        ("/staff/audit?day=2026-02-30&format=csv", "请按 YYYY-MM-DD 格式输入日期。"),
        ("/notices/?page=x", "页码须为从 1 开始的整数。"),
        ("/notices/?page=5", "没有第 5 页"),
    ],
)
def test_a_page_past_the_end_or_a_bad_filter_says_why_over_an_empty_list(
    app, client_for, url, said
):
    staff = staff_client(app, client_for, "dezhou", "reviewer", "editor", "admin")
    response = staff.get(url)
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert said in text(response)


@pytest.mark.parametrize(
    "url",
    ["/staff/applications?page=x", "/staff/applications?status=lost", "/staff/photos?status=x"],
)
def test_a_hand_made_page_number_or_status_in_a_queue_is_a_bad_request(app, client_for, url):
    staff = staff_client(app, client_for, "dezhou", "reviewer")
    assert staff.get(url).status_code == 400
    assert staff.get(url.split("?")[0]).status_code == 200
