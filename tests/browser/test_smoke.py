"""What a resident sees in a real browser: each city's portal and menu, 404s, phones, keyboard."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from PIL import Image

from tests.browser.conftest import wait_for_captcha
from tests.conftest import KNOWN_CAPTCHA

pytestmark = pytest.mark.browser

CITIES = {
    "binzhou": {
        "title": "滨州市社会保险个人网上服务系统",
        "name": "滨州市",
        "primary": (0x1D, 0x4F, 0x91),  # classic-blue's --color-primary
        "groups": "人员基本信息 缴费历史 社保卡 缴费业务 打印业务 待遇享受".split()
        + ["公共就业", "劳动关系", "消息中心"],
        "menu_pick": ("公共就业", "招聘信息"),
        "behind_login": False,
    },
    "dezhou": {
        "title": "德州市社会保险个人网上服务系统",
        "name": "德州市",
        "primary": (0xA3, 0x16, 0x1A),  # heritage-red's --color-primary
        "groups": "账号设置 个人信息 社会保险 社保卡 社保待遇 社保缴费 消息中心".split(),
        "menu_pick": ("社保卡", "社保卡基本信息"),
        "behind_login": True,
    },
}
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}


def menu_groups(page) -> list[str]:
    summaries = page.locator("nav.site-menu details > summary")
    return [text.strip() for text in summaries.all_inner_texts()]


@pytest.mark.parametrize("code", CITIES)
def test_home_page_shows_the_citys_own_title_and_menu(new_page, live_server, tmp_path, code):
    city = CITIES[code]
    page = new_page(viewport=DESKTOP)
    response = page.goto(live_server.city_url(code))
    assert response is not None and response.status == 200
    assert page.title() == city["title"]
    assert page.locator("h1").inner_text().strip() == city["title"]
    assert menu_groups(page) == city["groups"]
    body = page.locator("body").inner_text()
    assert city["name"] in body
    others = [other["name"] for other_code, other in CITIES.items() if other_code != code]
    assert not any(name in body for name in others)  # no other city's name on this portal

    shot = tmp_path / f"{code}-home.png"
    page.screenshot(path=str(shot))
    with Image.open(shot) as image:
        assert image.size == (DESKTOP["width"], DESKTOP["height"])
        pixels = image.convert("RGB")
    colours = pixels.getcolors(maxcolors=DESKTOP["width"] * DESKTOP["height"])
    assert len(colours) > 50, f"{shot}: {len(colours)} colours, the page looks blank"
    primary = sum(count for count, colour in colours if colour == city["primary"])
    assert primary > 0.01 * pixels.width * pixels.height, "the city's theme colour is not shown"


@pytest.mark.parametrize("code", CITIES)
def test_opening_a_menu_group_and_clicking_an_item_loads_that_page(
    page, live_server, make_resident, code
):
    city = CITIES[code]
    group, item = city["menu_pick"]
    page.goto(live_server.city_url(code))
    details = page.locator("nav.site-menu details", has=page.locator("summary", has_text=group))
    link = details.get_by_role("link", name=item, exact=True)
    assert not link.is_visible()  # a closed group hides its items

    details.locator("summary").click()
    assert details.get_attribute("open") is not None
    assert link.is_visible()
    with page.expect_navigation():
        link.click()

    if city["behind_login"]:  # the login form comes first, then the page asked for
        assert urlparse(page.url).path == "/account/login"
        resident = make_resident(code)
        page.locator("input[name=id_number]").fill(resident.id_number)
        page.locator("input[name=password]").fill(resident.password)
        wait_for_captcha(page)
        page.locator("input[name=captcha]").fill(KNOWN_CAPTCHA)
        with page.expect_navigation():
            page.locator("form.form [type=submit]").click()

    assert page.locator("h1").inner_text().strip() == item
    assert page.title() == f"{item} - {city['title']}"
    current = page.locator("nav.site-menu a[aria-current=page]")
    assert current.inner_text().strip() == item and current.is_visible()  # its group stays open


def test_unknown_host_is_not_found(page, live_server):
    response = page.goto(live_server.url("nowhere.localhost"))
    assert response is not None and response.status == 404
    body = page.locator("body").inner_text()
    assert "404" in body
    assert "滨州" not in body and "德州" not in body


@pytest.mark.parametrize("path", ["/", "/account/login"])
@pytest.mark.parametrize("code", CITIES)
def test_page_fits_a_375px_phone_without_horizontal_scrolling(new_page, live_server, code, path):
    page = new_page(viewport=PHONE)
    page.goto(live_server.city_url(code, path))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} is {width}px wide at a {PHONE['width']}px viewport"


@pytest.mark.parametrize("code", CITIES)
def test_skip_link_is_the_first_thing_the_keyboard_reaches(page, live_server, code):
    page.goto(live_server.city_url(code))
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "({text: document.activeElement.textContent.trim(),"
        " href: document.activeElement.getAttribute('href')})"
    )
    assert focused == {"text": "跳到主要内容", "href": "#main"}

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
