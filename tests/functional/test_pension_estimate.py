"""养老金测算: the estimator page for the demo employees, the demo resident, both languages,
and every kind of bad assumption (a clear message by its field, never a 500)."""

from __future__ import annotations

import re

import pytest

from shebao.people.demo import DEMO_PASSWORD, DEMO_PEOPLE, demo_id_number
from shebao.seeding import seed_city

PATH = "/pension-estimate/"
EMPLOYEE = next(p for p in DEMO_PEOPLE if p.category == "employee")
RESIDENT = next(p for p in DEMO_PEOPLE if p.category == "resident" and p.account_in)
FLEXIBLE = next(p for p in DEMO_PEOPLE if p.category == "flexible")


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def amount(html: str, label: str) -> str:
    return re.search(re.escape(label) + r"[:：]\s*([\d,]+\.\d\d)", html).group(1)


@pytest.fixture
def seeded(app, city_of):
    def seed(code: str):
        with app.app_context():
            seed_city(city_of(code), persons=0, seed=2026)

    return seed


@pytest.mark.parametrize("code", ["binzhou", "dezhou"])
def test_demo_employee_gets_an_estimate_in_both_languages(code, client_for, city_of, seeded):
    seeded(code)
    client = client_for(code)
    client.login(demo_id_number(city_of(code), EMPLOYEE), DEMO_PASSWORD)
    html = text(client.get(PATH))
    assert "<h1>养老金测算</h1>" in html
    assert "这是按本页所列假设作出的测算，不是待遇核定决定" in html
    total = amount(html, "测算的月养老金")
    assert float(total.replace(",", "")) > 0
    english = text(client.get(PATH + "?lang=en"))
    assert "This is an estimate under the assumptions stated on this page" in english
    assert amount(english, "Estimated monthly pension") == total
    # Born March 1985, a man: 63 (the reform's cap), reached in March 2048.
    assert "statutory retirement age is 63 years" in english and "2048-03" in english
    # One row per age he may choose: 60 … 66, the statutory 63 marked.
    ages = re.findall(r"<th scope=\"row\">(\d\d years[^<]*)</th>", english)
    assert ages[0] == "60 years" and ages[-1] == "66 years" and "63 years (statutory)" in ages
    assert '<svg role="img"' in english and "Not estimated" in english


def test_demo_resident_gets_the_resident_estimate(binzhou, city_of, seeded):
    seeded("binzhou")
    binzhou.login(demo_id_number(city_of("binzhou"), RESIDENT), DEMO_PASSWORD)
    html = text(binzhou.get(PATH + "?lang=en"))
    assert "Estimated monthly resident pension" in html
    assert "÷ 139" in html and "2032-04" in html  # born April 1972, paid from 60
    zh = text(binzhou.get(PATH + "?lang=zh_CN"))
    assert "测算的月居民养老金" in zh


def test_changing_an_assumption_changes_the_estimate_not_the_records(binzhou, city_of, seeded):
    seeded("binzhou")
    binzhou.login(demo_id_number(city_of("binzhou"), EMPLOYEE), DEMO_PASSWORD)
    low = text(binzhou.get(PATH + "?lang=en&base_index=60"))
    high = text(binzhou.get(PATH + "?lang=en&base_index=300"))
    to_number = lambda html: float(amount(html, "Estimated monthly pension").replace(",", ""))  # noqa: E731
    assert to_number(high) > to_number(low)
    facts = lambda html: html.split("From your records", 1)[1].split("</section>", 1)[0]  # noqa: E731
    assert facts(low) == facts(high)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("wage_growth=-1", "wage_growth", "Yearly wage growth must be at least 0 %"),
        ("wage_growth=11", "wage_growth", "Yearly wage growth must be at most 10 %"),
        ("base_index=59", "base_index", "must be between 60 and 300 percent of the average wage"),
        ("base_index=301", "base_index", "must be between 60 and 300 percent of the average wage"),
        ("base_index=abc", "base_index", "Enter a number"),
        ("interest=ten", "interest", "Enter a number"),
        ("interest=12", "interest", "The account interest rate must be between 0 and 10 percent"),
        ("base_mode=amount&base_amount=lots", "base_amount", "Enter an amount in yuan"),
        ("base_mode=amount&base_amount=", "base_amount", "Enter the monthly base in yuan"),
        ("base_mode=amount&base_amount=100", "base_amount", "a contribution base must be between"),
        ("base_mode=amount&base_amount=999999", "base_amount", "a contribution base must be"),
        ("base_mode=other", "base_mode", "Choose an index or an amount"),
        ("age=1", "age", "Choose one of the retirement ages listed"),
        ("base_index=1e5", "base_index", "Enter a number"),
        ("base_index=%00", "base_index", ""),
    ],
)
def test_bad_assumptions_get_a_clear_message(binzhou, city_of, seeded, query, field, message):
    seeded("binzhou")
    binzhou.login(demo_id_number(city_of("binzhou"), EMPLOYEE), DEMO_PASSWORD)
    html = text(binzhou.get(PATH + "?lang=en&" + query))
    assert 'id="error-summary"' in html
    assert f'id="{field}-error"' in html or field == "base_mode"
    assert message in html
    assert "Estimated monthly pension:" not in html


def test_bad_assumption_in_chinese(binzhou, city_of, seeded):
    seeded("binzhou")
    binzhou.login(demo_id_number(city_of("binzhou"), EMPLOYEE), DEMO_PASSWORD)
    html = text(binzhou.get(PATH + "?lang=zh_CN&wage_growth=-2"))
    assert "工资年增长率不得低于 0 %" in html


def test_resident_bad_amount(binzhou, city_of, seeded):
    seeded("binzhou")
    binzhou.login(demo_id_number(city_of("binzhou"), RESIDENT), DEMO_PASSWORD)
    html = text(binzhou.get(PATH + "?lang=en&resident_amount=50"))
    assert "The yearly payment must be between 100 and 10000 yuan" in html
    html = text(binzhou.get(PATH + "?lang=en&resident_amount=x"))
    assert "Enter an amount in yuan" in html


def test_flexible_worker_and_retiree(client_for, city_of, seeded):
    seeded("dezhou")
    client = client_for("dezhou")
    retiree = next(p for p in DEMO_PEOPLE if p.category == "retiree")
    # Dezhou: first login with the default password, then a forced change.
    page = client.login(demo_id_number(city_of("dezhou"), FLEXIBLE), "888888")
    assert page.status_code == 302
    assert client.get(PATH).status_code in (302, 303)  # the forced change comes first
    seeded("binzhou")
    binzhou = client_for("binzhou")
    binzhou.login(demo_id_number(city_of("binzhou"), retiree), DEMO_PASSWORD)
    html = text(binzhou.get(PATH + "?lang=en"))
    assert "nothing to estimate" in html


def test_the_page_needs_login_and_the_module(client_for, linhu):
    assert client_for("binzhou").get(PATH).status_code in (302, 303)
    assert linhu.get(PATH).status_code == 404
