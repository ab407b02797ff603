"""The login captcha in a real browser: a new picture keeps what was typed, and the code can
be heard, with JavaScript and without."""

from urllib.parse import urlparse

import pytest

from shebao.account import captcha
from tests.browser.conftest import wait_for_captcha

pytestmark = pytest.mark.browser
DIGITS = "402613"


@pytest.fixture
def known_digits(monkeypatch):
    monkeypatch.setattr(captcha, "new_digits", lambda: DIGITS)


def picture_source(page) -> str:
    return page.locator("img[data-captcha-picture]").get_attribute("src")


def test_with_javascript_another_picture_swaps_only_the_picture(
    new_page, live_server, make_resident
):
    page = new_page()
    resident = make_resident("binzhou", 31)
    page.goto(live_server.city_url("binzhou", "/account/login"))
    page.get_by_label("身份证号码").fill(resident.id_number)
    page.get_by_label("密码", exact=True).fill(resident.password)
    before = picture_source(page)
    with page.expect_response(lambda r: "/account/captcha.png" in r.url) as picture:
        page.get_by_role("button", name="看不清，换一张").click()
    assert picture.value.status == 200
    assert picture_source(page) != before
    # No page load: everything typed stays, and the new picture's code logs in.
    assert page.get_by_label("身份证号码").input_value() == resident.id_number
    assert page.get_by_label("密码", exact=True).input_value() == resident.password
    assert page.locator("[data-captcha-status]").inner_text() == "已更换验证码。"
    wait_for_captcha(page)
    page.get_by_label("验证码", exact=True).fill("test")
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    assert urlparse(page.url).path == "/"


def test_with_javascript_listen_plays_the_digits_of_the_new_picture(
    new_page, live_server, make_resident, known_digits
):
    page = new_page()
    resident = make_resident("binzhou", 32)
    page.goto(live_server.city_url("binzhou", "/account/login"))
    page.get_by_label("身份证号码").fill(resident.id_number)
    page.get_by_label("密码", exact=True).fill(resident.password)
    sound = page.locator("audio[data-captcha-sound]")
    assert sound.is_hidden()
    with page.expect_response(lambda r: "/account/captcha.wav" in r.url) as heard:
        page.get_by_role("button", name="听语音验证码").click()
    assert heard.value.headers["content-type"] == "audio/wav"
    assert sound.is_visible()
    assert "6位数字" in page.locator("#captcha-hint").inner_text()
    assert page.get_by_label("身份证号码").input_value() == resident.id_number
    page.get_by_label("验证码", exact=True).fill(DIGITS)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    assert urlparse(page.url).path == "/"


def test_without_javascript_another_picture_keeps_the_id_number(
    new_page, live_server, make_resident
):
    page = new_page(java_script_enabled=False)
    resident = make_resident("binzhou", 33)
    page.goto(live_server.city_url("binzhou", "/account/login"))
    page.get_by_label("身份证号码").fill(resident.id_number)
    page.get_by_label("密码", exact=True).fill(resident.password)
    with page.expect_navigation():
        page.get_by_role("button", name="看不清，换一张").click()
    assert urlparse(page.url).path == "/account/login"
    assert page.get_by_label("身份证号码").input_value() == resident.id_number
    assert page.get_by_label("密码", exact=True).input_value() == ""
    assert page.locator(".form-error").count() == 0
    page.get_by_label("密码", exact=True).fill(resident.password)
    wait_for_captcha(page)
    page.get_by_label("验证码", exact=True).fill("test")
    with page.expect_navigation():
        page.get_by_label("验证码", exact=True).press("Enter")  # Enter logs in
    assert urlparse(page.url).path == "/"


def test_without_javascript_listen_shows_a_player_and_keeps_the_id_number(
    new_page, live_server, make_resident, known_digits
):
    page = new_page(java_script_enabled=False)
    resident = make_resident("binzhou", 34)
    page.goto(live_server.city_url("binzhou", "/account/login"))
    page.get_by_label("身份证号码").fill(resident.id_number)
    with page.expect_navigation():
        page.get_by_role("button", name="听语音验证码").click()
    assert page.get_by_label("身份证号码").input_value() == resident.id_number
    sound = page.locator("audio[data-captcha-sound]")
    assert sound.is_visible() and "/account/captcha.wav" in sound.get_attribute("src")
    page.get_by_label("密码", exact=True).fill(resident.password)
    page.get_by_label("验证码", exact=True).fill(DIGITS)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    assert urlparse(page.url).path == "/"
