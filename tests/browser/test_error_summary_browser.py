"""The error summary of a failed submit takes the focus, and its links focus their fields."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_failed_login_moves_focus_to_the_summary_and_links_focus_fields(live_server, page, lang):
    page.goto(live_server.city_url("binzhou", f"/account/login?lang={lang}"))
    page.locator("form.form button[type=submit], form.form input[type=submit]").first.click()
    page.wait_for_selector("[data-error-summary]")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    page.screenshot(path=f"/tmp/h12_error_summary_{lang}.png", full_page=True)
    page.locator('[data-error-summary] a[href="#password"]').click()
    assert page.evaluate("document.activeElement.id") == "password"


def test_without_javascript_the_summary_comes_first_in_main(live_server, new_page):
    page = new_page(java_script_enabled=False)
    page.goto(live_server.city_url("binzhou", "/account/login?lang=en"))
    page.locator("form.form button[type=submit], form.form input[type=submit]").first.click()
    first = page.evaluate("document.querySelector('main').firstElementChild.id")
    assert first == "error-summary"
    page.locator('[data-error-summary] a[href="#id_number"]').click()
    assert page.url.endswith("#id_number")
