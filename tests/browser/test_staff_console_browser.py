"""Issue 13's "Done when", in a real browser: an administrator created by the CLI enrols
(TOTP computed with pyotp, as an authenticator app would), creates a reviewer; the reviewer
returns a Dezhou resident's card application with a reason, the resident sees it in 待办事项,
fixes and resubmits, the reviewer accepts; a Binzhou editor publishes an announcement that
appears on Binzhou's home page and not on Dezhou's."""

from __future__ import annotations

from urllib.parse import urlparse

import pyotp
import pytest
from sqlalchemy import select

from shebao.core.extensions import db
from shebao.core.time import utcnow
from shebao.modules.card_collection.models import CardApplication
from tests.browser.conftest import wait_for_captcha
from tests.conftest import KNOWN_CAPTCHA

pytestmark = pytest.mark.browser
PASSWORD = "Console2026Secure"


def cli_create(app, city: str, user: str, role: str) -> str:
    result = app.test_cli_runner().invoke(
        args=["staff", "create", "--city", city, "--user", user, "--role", role]
    )
    assert result.exit_code == 0, result.output
    return result.output.split("): ")[1].split()[0]


def enrol_and_log_in(page, live_server, city: str, user: str, code: str) -> None:
    page.goto(live_server.city_url(city, "/staff/enrol?lang=en"))
    page.get_by_label("User name").fill(user)
    page.get_by_label("Enrolment code").fill(code)
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("img", name="QR code of your one-time-code key").is_visible()
    totp = pyotp.TOTP(page.locator("#totp-secret").inner_text())
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("New password again").fill(PASSWORD)
    page.get_by_label("One-time code").fill(totp.now())
    page.get_by_role("button", name="Finish enrolment").click()
    assert urlparse(page.url).path == "/staff/login"
    page.get_by_label("User name").fill(user)
    page.get_by_label("Password").fill(PASSWORD)
    # The enrolment used this step's code: the app's next code (accepted within the drift).
    page.get_by_label("One-time code").fill(totp.generate_otp(totp.timecode(utcnow()) + 1))
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    assert urlparse(page.url).path == "/staff/"


def test_staff_console_done_when(app, new_page, live_server, make_resident):
    # The Dezhou administrator, from the command line, enrols and creates a reviewer.
    admin = new_page()
    enrol_and_log_in(
        admin,
        live_server,
        "dezhou",
        "admin.zhang",
        cli_create(app, "dezhou", "admin.zhang", "admin"),
    )
    admin.get_by_role("link", name="Staff accounts").click()
    admin.get_by_label("User name").fill("reviewer.li")
    admin.get_by_label("Name", exact=True).fill("李审核")
    admin.get_by_label("Reviewer (card applications and photos)").check()
    admin.get_by_role("button", name="Create staff member").click()
    reviewer_code = admin.locator("#enrolment-code").inner_text()
    reviewer = new_page()
    enrol_and_log_in(reviewer, live_server, "dezhou", "reviewer.li", reviewer_code)

    # A Dezhou resident submits a card application.
    resident_data = make_resident("dezhou", 51)
    resident = new_page()
    resident.goto(live_server.city_url("dezhou", "/account/login?lang=en"))
    log_in_en(resident, resident_data)
    resident.goto(live_server.city_url("dezhou", "/card-collection/info"))
    fill_application(resident, address="德州市德城区")
    resident.get_by_role("button", name="Submit").click()

    # The reviewer returns it with a reason.
    reviewer.goto(live_server.city_url("dezhou", "/staff/applications"))
    item = reviewer.locator(".queue-item").filter(has_text=resident_data.name)
    item.get_by_label("Reason (the resident sees it)").fill("地址请写到门牌号")
    item.get_by_role("button", name="Return with this reason").click()
    assert "Application returned." in reviewer.locator(".flashes").inner_text()

    # The resident sees the reason in 待办事项, fixes and resubmits.
    resident.goto(live_server.city_url("dezhou", "/todo/list"))
    assert "地址请写到门牌号" in resident.locator("main").inner_text()
    resident.goto(live_server.city_url("dezhou", "/card-collection/info"))
    resident.get_by_label("Address").fill("德州市德城区东风中路1号3单元")
    resident.get_by_role("button", name="Submit").click()

    # The reviewer accepts it.
    reviewer.goto(live_server.city_url("dezhou", "/staff/applications"))
    item = reviewer.locator(".queue-item").filter(has_text=resident_data.name)
    item.get_by_role("button", name="Accept").click()
    assert "Application accepted." in reviewer.locator(".flashes").inner_text()
    with app.app_context():
        row = db.session.scalars(select(CardApplication)).one()
        assert row.status == "accepted" and row.address == "德州市德城区东风中路1号3单元"

    # A Binzhou editor publishes an announcement: on Binzhou's home page, not on Dezhou's.
    editor = new_page()
    enrol_and_log_in(
        editor,
        live_server,
        "binzhou",
        "editor.wang",
        cli_create(app, "binzhou", "editor.wang", "editor"),
    )
    editor.get_by_role("link", name="Announcements").click()
    editor.get_by_role("link", name="New announcement").click()
    editor.get_by_label("Title (Chinese)").fill("滨州社保大厅延时服务")
    editor.get_by_label("Text (Chinese, Markdown)").fill("每周三延时至**晚上7点**。")
    editor.get_by_label("Title (English)").fill("Longer hours at the Binzhou hall")
    editor.get_by_label("Text (English, Markdown)").fill("Open until **7 pm** on Wednesdays.")
    editor.get_by_role("button", name="Publish").click()
    assert urlparse(editor.url).path == "/staff/announcements"
    visitor = new_page()
    visitor.goto(live_server.city_url("binzhou", "/"))
    assert "滨州社保大厅延时服务" in visitor.locator("main").inner_text()
    visitor.get_by_role("link", name="滨州社保大厅延时服务").click()
    assert visitor.locator("strong").filter(has_text="晚上7点").is_visible()
    visitor.goto(live_server.city_url("dezhou", "/"))
    assert "滨州社保大厅延时服务" not in visitor.locator("main").inner_text()


def log_in_en(page, resident) -> None:
    page.get_by_label("ID number").fill(resident.id_number)
    page.get_by_label("Password", exact=True).fill(resident.password)
    wait_for_captcha(page)
    page.get_by_label("Verification code", exact=True).fill(KNOWN_CAPTCHA.lower())
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    assert urlparse(page.url).path == "/"


def fill_application(page, address: str) -> None:
    page.get_by_label("Nationality").fill("中国")
    page.get_by_label("Ethnic group").select_option("01")
    page.get_by_label("Mobile number").fill("13912345678")
    page.get_by_label("Address").fill(address)
    page.get_by_label("Profession").fill("教师")
    page.get_by_label("Issuing bank").select_option(label="Bank of Dezhou")
    page.get_by_label("Where to collect the card").select_option(index=2)
