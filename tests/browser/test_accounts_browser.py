"""Account flows in a real browser: Binzhou registration by SMS code, Dezhou's first login."""

from urllib.parse import urlparse

import pytest

from tests.browser.conftest import log_in
from tests.conftest import last_code

pytestmark = pytest.mark.browser
NEW_PASSWORD = "Browser2026ok"


def test_binzhou_registration_by_sms_code_then_login(page, live_server, make_resident, sms_outbox):
    resident = make_resident("binzhou", 21, account=False)
    page.goto(live_server.city_url("binzhou", "/account/login"))
    page.get_by_role("link", name="用户注册").click()
    page.get_by_role("link", name="通过手机号码验证").click()
    page.get_by_label("身份证号码").fill(resident.id_number)
    page.get_by_label("姓名").fill(resident.name)
    page.get_by_label("在社保大厅预留的手机号码").fill(resident.phone)
    page.get_by_role("button", name="免费获取手机验证码").click()
    assert "验证码已发送" in page.locator(".flashes").inner_text()
    assert page.get_by_label("身份证号码").input_value() == resident.id_number  # kept

    page.get_by_label("短信验证码").fill(last_code(sms_outbox(), resident.phone))
    page.get_by_label("密码", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("确认密码").fill(NEW_PASSWORD)
    page.get_by_role("button", name="立即注册").click()
    assert urlparse(page.url).path == "/account/login"
    assert "注册成功" in page.locator(".flashes").inner_text()

    log_in(page, resident.id_number, NEW_PASSWORD)
    assert urlparse(page.url).path == "/"
    assert f"您好，{resident.name}" in page.locator(".user-tools").inner_text()


def test_dezhou_first_login_with_the_default_password_forces_a_change(
    page, live_server, make_resident
):
    resident = make_resident("dezhou", 22, account=False)
    page.goto(live_server.city_url("dezhou", "/"))
    page.get_by_role("link", name="登录").first.click()
    log_in(page, resident.id_number, "888888")
    assert urlparse(page.url).path == "/account/change-password"
    assert page.locator("h1").inner_text() == "修改密码"

    page.goto(live_server.city_url("dezhou", "/card/info"))  # nothing else opens yet
    assert urlparse(page.url).path == "/account/change-password"

    page.get_by_label("原密码").fill("888888")
    page.get_by_label("新密码", exact=True).fill("888888")
    page.get_by_label("确认新密码").fill("888888")
    page.get_by_role("button", name="保存").click()
    assert "不能使用初始密码" in page.locator("main").inner_text()

    page.get_by_label("原密码").fill("888888")
    page.get_by_label("新密码", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("确认新密码").fill(NEW_PASSWORD)
    page.get_by_role("button", name="保存").click()
    assert urlparse(page.url).path == "/"
    assert page.locator("h1").inner_text() == "德州市社会保险个人网上服务系统"
    page.goto(live_server.city_url("dezhou", "/card/info"))
    assert page.locator("h1").inner_text() == "社保卡基本信息"


def test_exit_asks_for_confirmation_without_javascript(new_page, live_server, make_resident):
    page = new_page(java_script_enabled=False)
    resident = make_resident("binzhou", 23)
    page.goto(live_server.city_url("binzhou", "/account/login"))
    log_in(page, resident.id_number, resident.password)
    page.get_by_role("link", name="退出", exact=True).click()
    assert "您确定要退出系统吗？" in page.locator("main").inner_text()
    page.get_by_role("button", name="确定").click()
    assert urlparse(page.url).path == "/account/login"
    assert "您已退出登录" in page.locator(".flashes").inner_text()
