"""A failed submit starts with an error summary linking each problem to its field, and the
month fields take what a resident types: ``2026-06`` and ``202606``."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from shebao.core import time as clock
from shebao.core.extensions import db
from shebao.modules.payments.models import PaymentOrder

SUMMARY = re.compile(
    r'<div class="error-summary"[^>]*data-error-summary>(.*?)</div>\s*<script', re.S
)
SUMMARY_LINK = re.compile(r'<a href="#([^"]+)">([^<]+)</a>')
FIELD_ERROR = '<p class="field-error" id="{}-error">{}'


def text(response) -> str:
    return response.get_data(as_text=True)


class _Ids(HTMLParser):
    """The ids of the page's elements, and which of them are form controls."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.controls: set[str] = set()

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if "id" in values:
            self.ids.add(values["id"])
            if tag in {"input", "select", "textarea"}:
                self.controls.add(values["id"])


def summary_links(html: str) -> dict[str, str]:
    """The summary's links (field id → text), after checking its shape and place."""
    found = SUMMARY.search(html)
    assert found, "no error summary"
    main = html.index('<main id="main"')
    assert main < found.start() < html.index("<h1"), "the summary is not first in main"
    assert 'src="/static/error-summary.js?v=' in html
    parser = _Ids()
    parser.feed(html)
    links = dict(SUMMARY_LINK.findall(found.group(1)))
    for target in links:
        assert target in parser.controls, f"summary links to #{target}, not a form control"
    return links


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(clock, "local_today", lambda: date(2026, 11, 25))


def logged_in(client, resident):
    client.login(resident.id_number, resident.password)
    return client


def test_failed_login_lists_each_empty_field(binzhou):
    response = binzhou.submit("/account/login?lang=en", {"id_number": "", "password": ""})
    links = summary_links(text(response))
    assert {"id_number", "password"} <= set(links)
    assert any(label.startswith("ID number") for label in links.values())


def test_failed_login_in_chinese_says_it_in_chinese(binzhou):
    html = text(binzhou.submit("/account/login", {"id_number": "", "password": ""}))
    assert "请修改下面标出的内容" in html and "id_number" in summary_links(html)


def test_failed_forgotten_password_form_lists_its_fields(binzhou):
    response = binzhou.submit("/account/forgot-password?lang=en", {"id_number": "", "phone": ""})
    assert {"id_number", "phone"} <= set(summary_links(text(response)))


def test_failed_registration_lists_its_fields(binzhou):
    response = binzhou.submit(
        "/account/register?method=card&lang=en", {"id_number": "123", "name": ""}
    )
    links = summary_links(text(response))
    assert {"id_number", "name", "password"} <= set(links)


def test_failed_payment_form_links_to_the_month_and_the_types(app, binzhou, make_resident):
    logged_in(binzhou, make_resident("binzhou", category="flexible"))
    response = binzhou.submit(
        "/payments/flexible?lang=en", {"start": "2026-13", "end": "", "base": "abc"}
    )
    links = summary_links(text(response))
    assert {"start", "end"} <= set(links)
    assert "Enter the month as year-month" in links["start"]

    response = binzhou.submit(
        "/payments/flexible?lang=en", {"start": "2026-06", "end": "2026-07", "base": "5000"}
    )
    assert "Choose at least one insurance type" in text(response)
    assert "types-0" in summary_links(text(response))


def test_failed_card_collection_lists_the_missing_fields(dezhou, make_resident):
    logged_in(dezhou, make_resident("dezhou"))
    response = dezhou.submit(
        "/card-collection/info?lang=en", {"phone": "12", "address": "", "submit": "1"}
    )
    assert response.status_code == 200
    links = summary_links(text(response))
    assert "phone" in links


def test_a_page_without_problems_has_no_summary(binzhou):
    html = text(binzhou.get("/account/login"))
    assert "data-error-summary" not in html and "error-summary.js" not in html


@pytest.mark.parametrize("start, end", [("202606", "202607"), ("2026-06", "2026-07")])
def test_typed_months_are_accepted_with_or_without_the_dash(
    app, binzhou, make_resident, start, end
):
    logged_in(binzhou, make_resident("binzhou", category="flexible"))
    page = text(binzhou.get("/payments/flexible?lang=en"))
    assert 'type="month"' not in page  # the browser's widget refuses a typed 202606
    response = binzhou.submit(
        "/payments/flexible", {"start": start, "end": end, "types": ["pension"], "base": "5000"}
    )
    assert response.status_code == 302, text(response)
    with app.app_context():
        order = db.session.scalar(select(PaymentOrder))
        periods = sorted(line.period for line in order.lines)
    assert periods == [date(2026, 6, 1), date(2026, 7, 1)]


@pytest.mark.parametrize(
    "month", ["2026/06", "２０２６０６", "202613", "26-06", "2026-6-1", "六月"]
)
def test_a_bad_month_gets_a_clear_message_next_to_the_field(app, binzhou, make_resident, month):
    logged_in(binzhou, make_resident("binzhou", category="flexible"))
    response = binzhou.submit(
        "/payments/flexible?lang=en",
        {"start": month, "end": "2026-07", "types": ["pension"], "base": "5000"},
    )
    html = text(response)
    assert response.status_code == 200
    assert FIELD_ERROR.format("start", "Enter the month as year-month, for example") in html
    assert 'aria-describedby="start-hint start-error"' in html
    assert summary_links(html).keys() == {"start"}
    with app.app_context():
        assert db.session.scalar(select(PaymentOrder.id)) is None


def test_the_card_swipes_month_is_a_text_field_taking_both_forms(binzhou, make_resident):
    logged_in(binzhou, make_resident("binzhou"))
    for typed in ("202605", "2026-05"):
        page = text(binzhou.get(f"/card/swipes?month={typed}&lang=en"))
        assert 'type="month"' not in page and 'value="2026-05"' in page
