"""The service menu is rendered once per city, language, display mode, login state and page,
then reused (web.templating.site_menu): what one request saw must never show in another's."""

from __future__ import annotations

import re

MENU = re.compile(r'<nav id="site-menu".*?</nav>', re.S)
CURRENT = re.compile(r'<a (?:class="service-button" )?href="([^"]+)" aria-current="page">')
OPEN_GROUP = re.compile(r"<details open>\s*<summary>([^<]+)</summary>")


def menu(response) -> str:
    found = MENU.search(response.get_data(as_text=True))
    assert found, "the page has no service menu"
    return found.group(0)


def test_the_current_page_is_marked_on_each_page_and_only_there(binzhou, make_resident):
    resident = make_resident("binzhou")
    binzhou.login(resident.id_number, resident.password)
    for path in ("/contributions/pension", "/personal-info/basic", "/contributions/pension"):
        shown = menu(binzhou.get(path))
        assert CURRENT.findall(shown) == [path]
        assert len(OPEN_GROUP.findall(shown)) == 1


def test_a_visitor_never_gets_the_menu_a_resident_was_shown(binzhou, client_for, make_resident):
    resident = make_resident("binzhou")
    binzhou.login(resident.id_number, resident.password)
    logged_in = menu(binzhou.get("/"))
    visitor = menu(client_for("binzhou").get("/"))
    assert logged_in != visitor
    # The account's own settings are in the resident's menu only.
    assert "/account/change-password" in logged_in
    assert "/account/change-password" not in visitor


def test_each_language_and_display_mode_has_its_own_menu(binzhou):
    chinese = menu(binzhou.get("/?lang=zh_CN"))
    english = menu(binzhou.get("/?lang=en"))
    assert "全部服务" in chinese and "All services" in english
    binzhou.set_cookie("care_mode", "on", domain="binzhou.localhost")
    care = menu(binzhou.get("/?lang=en"))
    assert "service-buttons" in care and "service-buttons" not in english


def test_each_city_has_its_own_menu(binzhou, dezhou, make_resident):
    for client, code in ((binzhou, "binzhou"), (dezhou, "dezhou")):
        resident = make_resident(code)
        client.login(resident.id_number, resident.password)
    binzhou_menu = menu(binzhou.get("/"))
    dezhou_menu = menu(dezhou.get("/"))
    assert binzhou_menu != dezhou_menu
    # Asked again, after the other city's menu was kept, each city gets its own back.
    assert menu(binzhou.get("/")) == binzhou_menu
    assert menu(dezhou.get("/")) == dezhou_menu
