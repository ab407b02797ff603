"""Paying through the sandbox bank in a real browser, in both cities, and seeing the months
as paid in the contribution records afterwards."""

from urllib.parse import urlparse

import pytest

from shebao.core import time as clock
from tests.browser.test_accounts_browser import log_in

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    from datetime import date

    monkeypatch.setattr(clock, "local_today", lambda: date(2026, 11, 25))


def test_binzhou_flexible_payment_through_the_sandbox_bank(page, live_server, make_resident):
    resident = make_resident("binzhou", 31, category="flexible")
    page.goto(live_server.city_url("binzhou", "/account/login"))
    log_in(page, resident.id_number, resident.password)
    page.goto(live_server.city_url("binzhou", "/payments/flexible?lang=en"))
    page.get_by_label("Start year-month").fill("2026-09")
    page.get_by_label("End year-month").fill("2026-10")
    page.get_by_label("Medical insurance").uncheck()
    page.get_by_label("Contribution base (yuan per month)").fill("5000")
    page.get_by_role("button", name="Next").click()

    assert page.locator("h1").inner_text() == "Confirm payment"
    assert "2,000.00" in page.locator("table").inner_text()
    page.get_by_role("button", name="Confirm payment").click()

    assert page.locator("h1").inner_text() == "Choose a bank"
    page.get_by_label("Agricultural Bank of China").check()
    page.get_by_role("button", name="Pay now").click()

    assert urlparse(page.url).path.startswith("/sandbox-bank/abc/")
    assert "2,000.00" in page.locator("main").inner_text()
    page.get_by_role("button", name="Pay", exact=True).click()

    assert page.locator("h1").inner_text() == "Payment successful"
    page.get_by_role("link", name="Done").click()
    assert urlparse(page.url).path == "/payments/orders"
    assert "Paid" in page.locator("table").inner_text()

    page.goto(live_server.city_url("binzhou", "/contributions/pension?year=2026&lang=en"))
    months = page.locator("table").first.inner_text()
    assert "Sep 2026" in months and "Oct 2026" in months and "1,000.00" in months


def test_dezhou_flexible_payment_with_the_review_flow(page, live_server, make_resident):
    resident = make_resident("dezhou", 32, category="flexible")
    page.goto(live_server.city_url("dezhou", "/account/login"))
    log_in(page, resident.id_number, resident.password)
    page.goto(live_server.city_url("dezhou", "/payments/flexible?lang=en"))
    page.get_by_label("Start year-month").fill("2026-10")
    page.get_by_label("End year-month").fill("2026-11")
    assert page.get_by_label("Medical insurance").count() == 0  # 灵活就业医保缴费 is its own page
    page.get_by_label("Contribution base (yuan per month)").fill("4100")
    page.get_by_role("button", name="Next").click()

    assert page.locator("h1").inner_text() == "Review the amount due"
    details = page.locator("table").inner_text()
    assert "Oct 2026" in details and "Nov 2026" in details and "1,640.00" in details
    page.get_by_role("button", name="Next").click()

    assert page.locator("h1").inner_text() == "Choose a bank"
    page.get_by_label("Bank of Dezhou").check()
    page.get_by_role("button", name="Pay now").click()
    assert urlparse(page.url).path.startswith("/sandbox-bank/dzbank/")
    # The notification does not arrive: 支付成功 makes the platform ask the bank.
    page.get_by_role("button", name="Pay without notifying the platform").click()
    assert page.locator("h1").inner_text() == "Payment at the bank"
    page.get_by_role("button", name="Payment succeeded").click()
    assert page.locator("h1").inner_text() == "Payment successful"

    page.goto(live_server.city_url("dezhou", "/pension-account/statement?lang=en"))
    assert page.locator("h1").count() == 1
    statement = page.locator("main").inner_text()
    assert "Oct 2026" in statement and "Nov 2026" in statement and "1,640.00" in statement
