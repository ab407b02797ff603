"""养老金测算 in a real browser without JavaScript, on a 375 px phone: the form is sent by GET,
a bad assumption brings the error summary first and keeps what was typed, a good one brings the
estimate, its parts and the chart, and nothing scrolls sideways."""

import pytest

from tests.browser.test_care_mode_layout import PHONE, log_in

pytestmark = pytest.mark.browser
SIDEWAYS = "document.documentElement.scrollWidth > document.documentElement.clientWidth + 1"


@pytest.mark.parametrize("code", ["binzhou", "dezhou"])
def test_estimate_without_javascript_on_a_phone(new_page, live_server, app, code):
    seeded = app.test_cli_runner().invoke(args=["seed-demo", "--city", code, "--persons", "1"])
    assert seeded.exit_code == 0, seeded.output
    page = new_page(viewport=PHONE, java_script_enabled=False)
    log_in(page, live_server, code)
    page.goto(live_server.city_url(code, "/pension-estimate/?lang=zh_CN"))
    assert page.locator("h1").inner_text() == "养老金测算"
    assert "测算的月养老金" in page.locator("main").inner_text()
    assert page.locator("svg[role=img]").count() == 1
    assert not page.evaluate(SIDEWAYS)

    page.get_by_label("平均工资年增长率（%）").fill("-3")
    with page.expect_navigation():
        page.get_by_role("button", name="测算").click()
    summary = page.locator("#error-summary")
    assert "工资年增长率不得低于 0 %" in summary.inner_text()
    assert page.get_by_label("平均工资年增长率（%）").input_value() == "-3"
    assert page.locator("main > *").first.get_attribute("id") == "error-summary"
    assert not page.evaluate(SIDEWAYS)

    page.get_by_label("平均工资年增长率（%）").fill("2")
    page.get_by_label("按每月金额").check()
    page.get_by_label("今年的缴费基数金额（元/月）").fill("8000")
    with page.expect_navigation():
        page.get_by_role("button", name="测算").click()
    text = page.locator("main").inner_text()
    assert "测算的月养老金：" in text and "基础养老金" in text and "个人账户养老金" in text
    assert "不是待遇核定决定" in text
    assert not page.evaluate(SIDEWAYS)

    page.goto(live_server.city_url(code, "/pension-estimate/?lang=en"))
    assert "Estimated monthly pension:" in page.locator("main").inner_text()
    assert not page.evaluate(SIDEWAYS)
