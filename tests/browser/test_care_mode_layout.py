"""Care mode (关怀模式), phone-first pages and visible focus, measured in the browser.

- Care mode switches on and off by a plain link (JavaScript off), persists across pages, is
  the default where the city's YAML says so (the fixture city linhu), and makes the root font
  at least 1.5 times the standard one.
- At 375 px wide the page's own content comes first, and no menu page of either city scrolls
  sideways: in Chinese and English, standard and care mode, and with a 24 px default font
  (emulated with a style sheet scaling the root to 150 %: Chromium's default font size is a
  browser setting Playwright cannot change).
- Every visible button, form control and link of the menus and action rows is a tap target of
  at least 44 × 44 px (60 px in care mode).
- Every focusable element's focus ring contrasts at least 3:1 with the background it is drawn
  on (computed from the computed styles).
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import wait_for_captcha
from tests.browser.test_every_menu_page import DEMO, DEMO_PASSWORD
from tests.conftest import KNOWN_CAPTCHA

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 667}
CARE_SWITCH = "/display/care-mode"
#: Scales the root like a browser whose default font size is 24 px instead of 16 px.
LARGE_DEFAULT_FONT = ":root:root { font-size: 150%; }"

#: Measures one page: sideways scrolling, small tap targets, weak focus rings.
MEASURE = """
({minimum, checkFocus, textContrast}) => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) {
    problems.push(`scrolls sideways: ${root.scrollWidth} px wide in ${root.clientWidth} px`);
  }
  const name = (el) => `${el.tagName.toLowerCase()}${el.type ? '[' + el.type + ']' : ''}`
    + ` "${(el.innerText || el.value || el.getAttribute('aria-label') || el.name || '')
    .trim().slice(0, 30)}"`;
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== 'hidden'
      && !el.closest('.skip-link');
  };
  const targets = document.querySelectorAll(
    'button, input:not([type=hidden]), select, textarea, summary, a.button, nav a,'
    + ' .site-header a, .actions a, .pager a, .tabs a, .form-links a, .site-footer a');
  for (const el of targets) {
    if (!shown(el)) continue;
    const box = el.getBoundingClientRect();
    if (box.height < minimum - 0.5 || box.width < minimum - 0.5) {
      problems.push(`tap target ${name(el)}: ${Math.round(box.width)} × ${Math.round(box.height)} px`);
    }
  }
  const rgb = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const linear = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  const contrast = (a, b) => {
    const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (high + 0.05) / (low + 0.05);
  };
  const backgroundBehind = (el, ownBox) => {
    for (let node = ownBox ? el : el.parentElement; node; node = node.parentElement) {
      const colour = rgb(getComputedStyle(node).backgroundColor);
      if (colour.length === 3 || (colour.length === 4 && colour[3] > 0)) return colour.slice(0, 3);
    }
    return [255, 255, 255];
  };
  if (textContrast) {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      const el = text.parentElement;
      if (!text.textContent.trim() || seen.has(el) || !shown(el)) continue;
      seen.add(el);
      const ratio = contrast(rgb(getComputedStyle(el).color), backgroundBehind(el, true));
      if (ratio < textContrast) {
        problems.push(`text ${name(el)}: contrast ${ratio.toFixed(2)}:1`);
      }
    }
  }
  if (!checkFocus) return problems;
  const focusable = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary');
  for (const el of focusable) {
    if (!shown(el)) continue;
    el.focus({focusVisible: true});
    if (document.activeElement !== el) continue;
    const style = getComputedStyle(el);
    const width = parseFloat(style.outlineWidth);
    if (style.outlineStyle === 'none' || width < 2) {
      problems.push(`focus ${name(el)}: no visible outline`);
      continue;
    }
    const inside = parseFloat(style.outlineOffset) < 0;
    const ratio = contrast(rgb(style.outlineColor), backgroundBehind(el, inside));
    if (ratio < 3) problems.push(`focus ${name(el)}: outline contrast ${ratio.toFixed(2)}:1`);
  }
  document.activeElement && document.activeElement.blur();
  return problems;
}
"""


def measure(page, care: bool, check_focus: bool = True) -> list[str]:
    return page.evaluate(
        MEASURE,
        {
            "minimum": 60 if care else 44,
            "checkFocus": check_focus,
            "textContrast": 7 if care else 0,
        },
    )


def root_font_px(page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")


def in_care_mode(page) -> bool:
    return page.evaluate("document.body.classList.contains('care-mode')")


def log_in(page, live_server, code: str) -> None:
    page.goto(live_server.city_url(code, "/account/login?lang=zh_CN"))
    page.get_by_label("身份证号码").fill(DEMO[code])
    page.get_by_label("密码", exact=True).fill(DEMO_PASSWORD)
    wait_for_captcha(page)
    page.get_by_label("验证码", exact=True).fill(KNOWN_CAPTCHA)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    assert page.locator(".user-tools").inner_text().startswith("您好")


def menu_paths(app, code: str) -> list[str]:
    city = app.extensions["shebao.cities"].get(code)
    with app.test_request_context(base_url=f"http://{code}.localhost"):
        from flask import url_for

        return ["/", *(url_for(link.endpoint) for menu in city.menus for link in menu.links)]


def test_care_mode_switches_without_javascript_and_persists(new_page, live_server):
    page = new_page(java_script_enabled=False)
    page.goto(live_server.city_url("binzhou", "/account/login"))
    assert not in_care_mode(page)
    standard_root = root_font_px(page)

    page.get_by_role("link", name="关怀模式").click()
    assert page.url.endswith("/account/login"), "the switch goes back to the same page"
    assert in_care_mode(page)
    assert root_font_px(page) >= 1.5 * standard_root >= 24
    assert page.evaluate("parseFloat(getComputedStyle(document.body).lineHeight)") >= 1.5 * 24
    assert page.locator(".service-button").count() >= 1, "the menu is large service buttons"

    page.goto(live_server.city_url("binzhou", "/"))
    assert in_care_mode(page), "the choice persists across pages"
    page.get_by_role("link", name="标准模式").click()
    assert not in_care_mode(page)
    page.goto(live_server.city_url("binzhou", "/account/login?lang=en"))
    assert not in_care_mode(page)
    page.get_by_role("link", name="Care mode").click()
    assert in_care_mode(page) and page.get_by_role("link", name="Standard mode").is_visible()

    page.goto(live_server.city_url("binzhou", f"{CARE_SWITCH}?on=0&next=//evil.example/x"))
    assert page.url == live_server.city_url("binzhou", "/"), "never sent to another site"
    assert not in_care_mode(page)


def test_care_mode_is_the_default_where_the_city_says_so(new_page, live_server):
    page = new_page(java_script_enabled=False)
    page.goto(live_server.city_url("linhu", "/"))
    assert in_care_mode(page)
    assert root_font_px(page) >= 24
    page.get_by_role("link", name="Standard mode").click()
    assert not in_care_mode(page)
    page.goto(live_server.city_url("linhu", "/account/login"))
    assert not in_care_mode(page), "the resident's choice wins over the city's default"

    page.goto(live_server.city_url("binzhou", "/"))
    assert not in_care_mode(page), "another city's default is its own"


@pytest.mark.parametrize("care", [False, True], ids=["standard", "care"])
def test_phone_shows_the_page_content_first(new_page, live_server, care):
    page = new_page(viewport=PHONE)
    if care:
        page.goto(live_server.city_url("binzhou", f"{CARE_SWITCH}?on=1&next=/account/login"))
    else:
        page.goto(live_server.city_url("binzhou", "/account/login"))
    heading = page.locator("h1").bounding_box()
    first_field = page.get_by_label("身份证号码").bounding_box()
    assert heading is not None and heading["y"] < PHONE["height"] / 2
    assert first_field is not None and first_field["y"] + first_field["height"] <= PHONE["height"]
    assert page.locator("main").bounding_box()["y"] < page.locator("#site-menu").bounding_box()["y"]
    assert measure(page, care) == []


@pytest.mark.parametrize("code", ["binzhou", "dezhou"])
def test_every_menu_page_fits_a_phone_with_large_targets_and_visible_focus(
    new_page, live_server, app, code
):
    seeded = app.test_cli_runner().invoke(args=["seed-demo", "--city", code, "--persons", "5"])
    assert seeded.exit_code == 0, seeded.output
    page = new_page(viewport=PHONE, bypass_csp=True)  # for the 24 px style sheet
    log_in(page, live_server, code)
    paths = menu_paths(app, code)
    assert len(paths) >= 10

    problems: list[str] = []
    modes = [
        ("zh_CN", False, False),
        ("zh_CN", False, True),
        ("zh_CN", True, False),
        ("en", True, False),
        ("en", False, True),
        ("en", False, False),
    ]
    for lang, care, large_font in modes:
        page.goto(live_server.city_url(code, f"{CARE_SWITCH}?on={int(care)}&next=/?lang={lang}"))
        assert in_care_mode(page) is care
        for path in paths:
            response = page.goto(live_server.city_url(code, path))
            label = f"{lang} {'care' if care else 'standard'}{' 24px' if large_font else ''} {path}"
            if response is None or response.status != 200:
                problems.append(f"{label}: status {response.status if response else 'none'}")
                continue
            if large_font:
                page.add_style_tag(content=LARGE_DEFAULT_FONT)
                assert root_font_px(page) >= 24
            found = measure(page, care, check_focus=not large_font)
            problems.extend(f"{label}: {problem}" for problem in found)
    assert not problems, "\n".join(problems[:60]) + f"\n({len(problems)} problems)"


@pytest.mark.parametrize(
    "target",
    ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", ""],
)
def test_the_switch_only_goes_back_to_a_path_of_this_site(client_for, target):
    client = client_for("binzhou")
    response = client.get(CARE_SWITCH, query_string={"on": "1", "next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    cookie = response.headers["Set-Cookie"]
    assert "care_mode=on" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    kept = client.get(CARE_SWITCH, query_string={"on": "0", "next": "/card/info?x=1"})
    assert kept.headers["Location"] == "/card/info?x=1"
