"""Every menu item of both cities opens a page that renders its data, in Chinese.

Logged in as the README's demo employee after `shebao seed-demo`, the browser opens each
link of the city's menu and checks: answered 200, one <h1>, no error page, and no message
left untranslated (no English message id of the catalogue in the page's text).
"""

import re

import pytest
from babel.messages.pofile import read_po

from shebao.core.settings import PROJECT_ROOT
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser
DEMO = {"binzhou": "371602198503120116", "dezhou": "371402198503120115"}
DEMO_PASSWORD = "Demo2026a"


def english_message_ids() -> list[str]:
    path = PROJECT_ROOT / "platform/shebao/translations/zh/LC_MESSAGES/messages.po"
    with open(path, "rb") as handle:
        catalog = read_po(handle)
    ids = []
    for message in catalog:
        text = message.id if isinstance(message.id, str) else (message.id or ("",))[0]
        # Sentences and phrases of three words or more: short ids could be data ("OK").
        if text and len(text.split()) >= 3 and "%(" not in text:
            ids.append(text)
    return ids


@pytest.mark.parametrize("code", ["binzhou", "dezhou"])
def test_every_menu_item_renders_its_page(page, live_server, app, code):
    seeded = app.test_cli_runner().invoke(args=["seed-demo", "--city", code, "--persons", "5"])
    assert seeded.exit_code == 0, seeded.output
    city = app.extensions["shebao.cities"].get(code)
    page.goto(live_server.city_url(code, "/account/login"))
    log_in(page, DEMO[code], DEMO_PASSWORD)
    assert page.locator(".user-tools").inner_text().startswith("您好")

    untranslated = english_message_ids()
    problems = []
    with app.test_request_context(base_url=f"http://{code}.localhost"):
        from flask import url_for

        links = [url_for(link.endpoint) for menu in city.menus for link in menu.links]
    for path in links:
        response = page.goto(live_server.city_url(code, path))
        if response is None or response.status != 200:
            problems.append(f"{path}: status {response.status if response else 'none'}")
            continue
        if page.locator("h1").count() != 1:
            problems.append(f"{path}: {page.locator('h1').count()} <h1>")
        text = page.locator("body").inner_text()
        if "系统出现错误" in text or "页面不存在" in text:
            problems.append(f"{path}: error page")
        leaked = [message for message in untranslated if message in text]
        if leaked:
            problems.append(f"{path}: untranslated {leaked[:3]}")
        if re.search(r"\{\{|\}\}|\{%", text):
            problems.append(f"{path}: template syntax in the page")
    assert not problems, "\n".join(problems)
    assert len(links) >= 10
