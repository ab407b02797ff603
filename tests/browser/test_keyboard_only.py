"""Logging in and paying an order with the keyboard alone: Tab, Shift+Tab, Enter, Space and
arrow keys, no mouse. At every stop the focused element shows a focus ring (its contrast is
measured on every page by test_care_mode_layout), and the order ends paid.

The menu is reached the way a keyboard user does: its group is a <details> opened with Enter
on its summary.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from shebao.core import time as clock
from tests.browser.conftest import wait_for_captcha
from tests.conftest import KNOWN_CAPTCHA

pytestmark = pytest.mark.browser
#: More Tab presses than any page here has stops: a missing control fails instead of looping.
MAX_TABS = 80

FOCUS_STATE = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40),
    visible: el.matches(':focus-visible') && style.outlineStyle !== 'none'
      && parseFloat(style.outlineWidth) >= 2,
  };
}
"""


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    from datetime import date

    monkeypatch.setattr(clock, "local_today", lambda: date(2026, 11, 25))


def tab_to(page, selector: str, text: str | None = None) -> None:
    """Press Tab until the element matching ``selector`` (and reading ``text``, if given) has
    the focus; every stop on the way must show its focus ring."""
    for _press in range(MAX_TABS):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        assert state is not None, "focus fell out of the page"
        assert state["visible"], f"no visible focus on {state['tag']} {state['text']!r}"
        if page.evaluate("(s) => document.activeElement.matches(s)", selector) and (
            text is None or state["text"] == text
        ):
            return
    raise AssertionError(f"{selector} is not reachable with Tab")


def press_on(page, selector: str, key: str = "Enter", text: str | None = None) -> None:
    tab_to(page, selector, text)
    page.keyboard.press(key)


def test_log_in_and_pay_with_the_keyboard_only(page, live_server, make_resident):
    resident = make_resident("binzhou", 51, category="flexible")
    page.goto(live_server.city_url("binzhou", "/account/login?lang=en"))

    tab_to(page, "input[name=id_number]")
    page.keyboard.type(resident.id_number)
    tab_to(page, "input[name=password]")
    page.keyboard.type(resident.password)
    wait_for_captcha(page)
    tab_to(page, "input[name=captcha]")
    page.keyboard.type(KNOWN_CAPTCHA)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlparse(page.url).path == "/"
    assert page.locator(".user-tools").inner_text().startswith("Hello")

    # The menu: open the group holding the payment page with Enter on its summary.
    flexible = "a[href='/payments/flexible']"
    press_on(page, f"details:has({flexible}) > summary")
    with page.expect_navigation():
        press_on(page, f"#site-menu {flexible}")
    assert page.locator("h1").count() == 1

    tab_to(page, "input[name=start]")
    page.keyboard.type("202609")
    tab_to(page, "input[name=end]")
    page.keyboard.type("2026-10")
    medical = page.get_by_label("Medical insurance")
    assert medical.is_checked()
    press_on(page, "input[type=checkbox][value=medical]", "Space")
    assert not medical.is_checked()
    tab_to(page, "input[name=base]")
    page.keyboard.type("5000")
    with page.expect_navigation():
        press_on(page, "form.form button[value=next]")
    assert page.locator("h1").inner_text() == "Confirm payment"
    assert "2,000.00" in page.locator("table").inner_text()

    with page.expect_navigation():
        press_on(page, "form[action$='/confirm'] button")
    assert page.locator("h1").inner_text() == "Choose a bank"

    # A radio group is one Tab stop; the arrow keys choose within it.
    tab_to(page, "input[type=radio][name=bank]")
    abc = page.get_by_label("Agricultural Bank of China")
    for _press in range(page.locator("input[type=radio][name=bank]").count()):
        if abc.is_checked():
            break
        page.keyboard.press("ArrowDown")
    assert abc.is_checked()
    with page.expect_navigation():
        press_on(page, "form[action$='/pay'] button[type=submit]")
    assert urlparse(page.url).path.startswith("/sandbox-bank/abc/")

    with page.expect_navigation():
        press_on(page, "main form button[type=submit]", text="Pay")
    assert page.locator("h1").inner_text() == "Payment successful"
    with page.expect_navigation():
        press_on(page, "main a", text="Done")
    assert urlparse(page.url).path == "/payments/orders"
    assert "Paid" in page.locator("table").inner_text()
