"""The idle warning in the browser: before the city's idle time runs out a logged-in page says
so, with a button that keeps the session open on the server; when the time has run out, it
says so and links to the login page.

The page's timers run on Playwright's fake clock, moved forward by the times the page itself
carries (``data-idle-seconds``, ``data-warn-seconds``): nothing waits, nothing is timed.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from axe_playwright_python.base import AXE_SCRIPT

from shebao.core.extensions import db
from tests.browser.test_accounts_browser import log_in
from tests.browser.test_axe import FAILING_IMPACTS, axe_findings
from tests.browser.test_care_mode_layout import CARE_SWITCH
from tests.functional.test_sessions_end import session_rows

pytestmark = pytest.mark.browser
PAGE = "/personal-info/basic"


def move_last_seen_back(app, person_id: int, delta: timedelta) -> None:
    from sqlalchemy import select

    from shebao.account.models import Account, AccountSession

    with app.app_context():
        for row in db.session.scalars(
            select(AccountSession)
            .join(Account, Account.id == AccountSession.account_id)
            .where(Account.person_id == person_id, AccountSession.ended_at.is_(None))
        ):
            row.last_seen_at -= delta
        db.session.commit()


def last_seen(app, person_id: int):
    def rows(session):
        return session_rows(lambda fn: fn(session), person_id)

    with app.app_context():
        [(_created, seen, _ended, _reason)] = rows(db.session)
    return seen


@pytest.mark.parametrize(
    ("lang", "care", "stay", "soon", "extended", "ended"),
    [
        (
            "en",
            False,
            "Stay logged in",
            "logged out in 2 minutes",
            "You stay logged in",
            "You were logged out after 30 minutes",
        ),
        ("zh_CN", True, "继续使用", "2 分钟后自动退出", "您可以继续使用", "您已超过 30 分钟未操作"),
    ],
    ids=["english-standard", "chinese-care"],
)
def test_the_warning_shows_before_the_idle_time_and_extends_the_session(
    new_page, live_server, app, make_resident, lang, care, stay, soon, extended, ended
):
    resident = make_resident("binzhou", 41)
    page = new_page()
    page.context.add_init_script(script=AXE_SCRIPT)
    page.clock.install()
    page.goto(live_server.city_url("binzhou", "/account/login?lang=zh_CN"))
    log_in(page, resident.id_number, resident.password)
    page.goto(live_server.city_url("binzhou", f"{CARE_SWITCH}?on={int(care)}&next={PAGE}"))
    page.goto(live_server.city_url("binzhou", f"{PAGE}?lang={lang}"))

    bar = page.locator("[data-idle-warning]")
    idle = int(bar.get_attribute("data-idle-seconds"))
    lead = int(bar.get_attribute("data-warn-seconds"))
    assert idle == 30 * 60, "the city's auth.session_idle_minutes"
    assert 20 <= lead < idle
    assert bar.is_hidden()

    # Just before the warning is due: still nothing.
    page.clock.fast_forward((idle - lead) * 1000 - 5_000)
    assert bar.is_hidden()
    page.clock.fast_forward(10_000)
    assert bar.is_visible()
    assert soon in bar.inner_text()
    button = page.get_by_role("button", name=stay)
    assert button.is_visible()
    assert page.locator("main").is_visible(), "not modal: the page stays usable"
    box = button.bounding_box()
    assert box["height"] >= (60 if care else 44) - 0.5
    if care:
        font = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('.idle-warning')).fontSize)"
        )
        assert font >= 24
    problems = [f for f in axe_findings(page) if f["impact"] in FAILING_IMPACTS]
    assert not problems, problems

    # The button (by keyboard) keeps the session open on the server.
    move_last_seen_back(app, resident.id, timedelta(seconds=40))
    before = last_seen(app, resident.id)
    button.focus()
    page.keyboard.press("Enter")
    page.get_by_text(extended).wait_for()
    assert button.is_hidden()
    assert last_seen(app, resident.id) > before
    assert page.evaluate("document.activeElement.hasAttribute('data-idle-warning-text')")

    # The count starts again: after a whole idle time without a click, the bar says it ended.
    page.clock.fast_forward((idle - lead) * 1000 - 5_000)
    assert button.is_hidden()
    page.clock.fast_forward(lead * 1000 + 10_000)
    assert ended in bar.inner_text()
    assert button.is_hidden()
    login = bar.get_by_role("link")
    assert login.is_visible() and login.get_attribute("href") == "/account/login"


def test_visitors_pages_have_no_warning(page, live_server):
    page.goto(live_server.city_url("binzhou", "/account/login"))
    assert page.locator("[data-idle-warning]").count() == 0
