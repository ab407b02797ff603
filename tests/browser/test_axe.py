"""axe-core on every page of both cities: logged out and logged in, Chinese and English,
standard and care mode. Any serious or critical finding fails the test.

axe-core's ``axe.min.js`` comes bundled in the PyPI package ``axe-playwright-python`` (a test
extra), so ``pip install -e '.[test]'`` is all it needs: no npm step, no browser download. The
script is added to every document of the browser context before the page's own scripts (the
page's Content-Security-Policy does not apply to it), and ``axe.run`` is called on each page.

One browser context per city and language, so a login serves every page of it; care mode is
switched by its own link, as a resident does.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.base import AXE_SCRIPT

from tests.browser.test_care_mode_layout import CARE_SWITCH, log_in, menu_paths

pytestmark = pytest.mark.browser
#: Findings of these impacts fail the test (axe's "moderate" and "minor" are reported only).
FAILING_IMPACTS = {"serious", "critical"}
#: Pages a visitor opens first; the account pages the login page links to (registration,
#: recovery: each city offers its own) and the menu's public items are added to these.
VISITOR_PATHS = ["/", "/account/login"]
#: The themed "page not found" page, scanned like any other.
MISSING_PATH = "/no-such-page"
#: Pages a logged-in resident opens beside the menu's.
ACCOUNT_PATHS = ["/account/change-password", "/account/exit"]
#: Language and care mode: every combination for a visitor's few pages; for a resident's many
#: pages Chinese standard and English care mode, so each language and each display mode is
#: scanned on every page while the suite stays quick (it runs twice in CI).
VISITOR_MODES = [("zh_CN", False), ("zh_CN", True), ("en", False), ("en", True)]
RESIDENT_MODES = [("zh_CN", False), ("en", True)]

RUN_AXE = """
async () => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 3).map((node) => node.target.join(' ')),
  }));
}
"""


def axe_findings(page) -> list[dict]:
    return page.evaluate(RUN_AXE)


def scan(page, live_server, code: str, paths: list[str], label: str, modes) -> list[str]:
    """Every failing finding on ``paths``, one line each, in each (language, care) of ``modes``."""
    problems = []
    for lang, care in modes:
        page.goto(live_server.city_url(code, f"{CARE_SWITCH}?on={int(care)}&next=/?lang={lang}"))
        for path in paths:
            response = page.goto(live_server.city_url(code, path))
            where = f"{label} {lang} {'care' if care else 'standard'} {path}"
            expected = 404 if path == MISSING_PATH else 200
            if response is None or response.status != expected:
                problems.append(f"{where}: status {response.status if response else 'none'}")
                continue
            for finding in axe_findings(page):
                if finding["impact"] in FAILING_IMPACTS:
                    problems.append(
                        f"{where}: {finding['id']} ({finding['impact']}) {finding['help']}"
                        f" at {finding['targets']}"
                    )
    return problems


def visitor_paths(page, live_server, app, code: str) -> list[str]:
    city = app.extensions["shebao.cities"].get(code)
    page.goto(live_server.city_url(code, "/account/login"))
    linked = page.eval_on_selector_all(
        "main a[href^='/account/']",
        "links => links.map((a) => a.getAttribute('href'))"
        ".filter((href) => !/\\.[a-z0-9]+$/.test(href.split('?')[0]))",  # not the captcha's sound
    )
    assert linked, "the login page links to registration or recovery"
    with app.test_request_context(base_url=f"http://{code}.localhost"):
        from flask import url_for

        public = [
            url_for(link.endpoint)
            for menu in city.visitor_menus
            for link in menu.links
            if link.public
        ]
    return list(dict.fromkeys([*VISITOR_PATHS, *linked, *public, MISSING_PATH]))


@pytest.fixture
def axe_page(browser):
    context = browser.new_context()
    context.set_default_timeout(15_000)
    context.add_init_script(script=AXE_SCRIPT)
    yield context.new_page()
    context.close()


def test_axe_bundle_is_axe_core():
    assert "axe v4." in AXE_SCRIPT[:200]


@pytest.mark.parametrize("code", ["binzhou", "dezhou"])
def test_no_serious_axe_findings_logged_out(axe_page, live_server, app, code):
    paths = visitor_paths(axe_page, live_server, app, code)
    problems = scan(axe_page, live_server, code, paths, "visitor", VISITOR_MODES)
    # A failed login: the error summary and the fields marked invalid.
    axe_page.goto(live_server.city_url(code, "/account/login?lang=en"))
    axe_page.get_by_role("button", name="Log in").click()
    assert axe_page.locator("[data-error-summary]").count() == 1
    problems.extend(
        f"visitor failed login: {finding['id']} ({finding['impact']}) {finding['help']}"
        for finding in axe_findings(axe_page)
        if finding["impact"] in FAILING_IMPACTS
    )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("code", ["binzhou", "dezhou"])
def test_no_serious_axe_findings_logged_in(axe_page, live_server, app, code):
    seeded = app.test_cli_runner().invoke(args=["seed-demo", "--city", code, "--persons", "5"])
    assert seeded.exit_code == 0, seeded.output
    log_in(axe_page, live_server, code)
    paths = list(dict.fromkeys([*menu_paths(app, code), *ACCOUNT_PATHS]))
    assert len(paths) >= 12
    problems = scan(axe_page, live_server, code, paths, "resident", RESIDENT_MODES)
    assert not problems, "\n".join(problems)
