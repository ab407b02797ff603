"""养老账户查询: the pension personal account by year, derived from pension contributions:
months paid, average base, the share of the base credited (the city's ``account_credit``
rule), interest on the start balance, balance."""

from __future__ import annotations

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest

from shebao.core.extensions import db
from shebao.modules.pension_account.options import PensionAccountOptions
from shebao.modules.pension_account.services import account_statement, interest_rate
from shebao.people.demo import DEMO_PASSWORD, DEMO_PEOPLE, demo_id_number
from shebao.people.models import Person
from shebao.seeding import seed_city
from tests.factories_contributions import record_months

PATH = "/pension-account/statement"
#: A credit rule of 8 % for both categories, as in force nationally from 2006.
CREDIT = {2000: {"employee": "0.08", "flexible": "0.08"}}


def text(response) -> str:
    return response.get_data(as_text=True)


def rows_of(html: str, caption: str) -> list[str]:
    table = html.split(caption, 1)[1]
    body = re.search(r"<tbody>(.*?)</tbody>", table, re.S).group(1)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    return [
        "|".join(c.strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S))
        for row in rows
    ]


def foot_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.search(r"<tfoot>(.*?)</tfoot>", html, re.S).group(1))


@pytest.fixture
def record(app, city_of):
    def add(city: str, person_id: int, year: int, **values):
        with app.app_context():
            record_months(city_of(city), person_id, "pension", year, **values)
            db.session.commit()

    return add


def test_statement_credits_the_base_at_the_credit_rate_and_adds_interest(
    dezhou, make_resident, record
):
    me = make_resident("dezhou", 1)
    record("dezhou", me.id, 2023, base="5000")  # 8 % of 5,000: 400.00 a month
    record("dezhou", me.id, 2024, base="6000", months=range(1, 11))  # 480.00 a month
    record("dezhou", me.id, 2024, base="6000", months=[11], status="arrears")
    record("dezhou", me.id, 2024, base="6000", months=[12], status="refunded")
    dezhou.login(me.id_number, me.password)
    page = dezhou.get(PATH + "?lang=en")
    html = text(page)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert re.findall(r"<h1>(.*?)</h1>", html) == ["Pension account"]
    # 2023: 4,800.00 credited, nothing to earn interest on yet. 2024: 3 % of 4,800.00 = 144.00
    # interest, 10 months paid (arrears and refund credit nothing): 4,800 + 144 + 4,800.
    assert rows_of(html, "Pension personal account by year") == [
        "2024|10|6,000.00|4,800.00|3.00%|144.00|9,744.00",
        "2023|12|5,000.00|4,800.00|3.00%|0.00|4,800.00",
    ]
    assert foot_of(html).strip() == (
        '<tr> <th scope="row">All years</th> <td class="number">22</td> <td></td> '
        '<td class="number">9,600.00</td> <td></td> <td class="number">144.00</td> '
        '<td class="number">9,744.00</td> </tr>'
    )
    # The chosen year's months (the newest by default): 12 rows, what was paid, what it
    # credited (an employee's 8 % is both) and the status; arrears and refunds credit nothing.
    months = rows_of(html, "Pension contributions in 2024")
    assert len(months) == 12 and months[0] == "Jan 2024|6,000.00|480.00|480.00|Paid"
    assert months[10] == "Nov 2024|6,000.00|480.00|0.00|In arrears"
    assert months[10].endswith("|In arrears") and months[11].endswith("|Refunded")


def test_chinese_page_uses_the_citys_label(dezhou, make_resident, record):
    me = make_resident("dezhou", 1)
    record("dezhou", me.id, 2024)
    dezhou.login(me.id_number, me.password)
    html = text(dezhou.get(PATH))
    assert (
        "<h1>养老账户查询</h1>" in html
        and "<title>养老账户查询 - 德州市社会保险个人网上服务系统</title>" in html
    )


def test_a_year_without_contributions_earns_interest_only(dezhou, make_resident, record):
    me = make_resident("dezhou", 1)
    record("dezhou", me.id, 2020, base="5000", months=[1])  # 400.00
    record("dezhou", me.id, 2022, base="5000", months=[1])
    dezhou.login(me.id_number, me.password)
    html = text(dezhou.get(PATH + "?lang=en&year=2021"))
    assert rows_of(html, "Pension personal account by year") == [
        "2022|1|5,000.00|400.00|3.00%|12.36|824.36",
        "2021|0|0.00|0.00|3.00%|12.00|412.00",
        "2020|1|5,000.00|400.00|3.00%|0.00|400.00",
    ]
    assert "No pension contributions were made in 2021; the balance earned interest only." in html


def test_interest_rates_come_from_the_option_by_first_year_in_force():
    options = PensionAccountOptions(
        account_credit=CREDIT, interest_rates={2016: "0.0831", 2024: "0.0262"}
    )
    assert interest_rate(options, 2015) == Decimal("0.03")  # before the first key: 3 %
    assert interest_rate(options, 2016) == Decimal("0.0831")
    assert interest_rate(options, 2023) == Decimal("0.0831")
    assert interest_rate(options, 2026) == Decimal("0.0262")
    assert interest_rate(PensionAccountOptions(account_credit=CREDIT), 2026) == Decimal("0.03")
    with pytest.raises(ValueError, match="rate between 0 and 1"):
        PensionAccountOptions(account_credit=CREDIT, interest_rates={2016: 8.31})


def test_statement_uses_the_citys_interest_rates(app, make_resident, city_of):
    me = make_resident("dezhou", 1)
    with app.app_context():
        record_months(city_of("dezhou"), me.id, "pension", 2023, base="5000")
        record_months(city_of("dezhou"), me.id, "pension", 2024, base="5000", months=[1])
        city = SimpleNamespace(
            code="dezhou",
            source="dezhou",
            options=lambda name: PensionAccountOptions(
                account_credit=CREDIT, interest_rates={2024: "0.0262"}
            ),
        )
        person = db.session.get(Person, me.id)
        last = account_statement(city, person)[-1]
    # 4,800.00 × 2.62 % = 125.76.
    assert (last.year, last.rate, last.interest, last.closing_balance) == (
        2024,
        Decimal("0.0262"),
        Decimal("125.76"),
        Decimal("5325.76"),
    )


def test_interest_is_rounded_half_up_to_the_fen(app, make_resident, city_of):
    me = make_resident("dezhou", 1)
    with app.app_context():
        # 2000 rule: 5 % of 1,006 = 50.30 a month; 5 months = 251.50; × 3 % = 7.545 → 7.55
        # (half up; half even would give 7.54).
        record_months(city_of("dezhou"), me.id, "pension", 2000, base="1006", months=range(1, 6))
        record_months(city_of("dezhou"), me.id, "pension", 2001, base="1006", months=[1])
        statement = account_statement(city_of("dezhou"), db.session.get(Person, me.id))
    assert statement[0].credited == Decimal("251.50")
    assert statement[1].interest == Decimal("7.55")


def test_paging_ten_years_a_page_newest_first(dezhou, make_resident, record):
    me = make_resident("dezhou", 1)
    for year in range(2000, 2025):  # 25 years: pages of 10, 10 and 5
        record("dezhou", me.id, year, months=[1], base="3000")
    dezhou.login(me.id_number, me.password)
    first = text(dezhou.get(PATH + "?lang=en"))
    years = [row.split("|")[0] for row in rows_of(first, "Pension personal account by year")]
    assert years == [str(y) for y in range(2024, 2014, -1)]
    assert "Page 1 of 3" in first and "Previous page" not in first
    assert 'href="?year=2024&amp;page=2">Next page</a>' in first
    last = text(dezhou.get(PATH + "?lang=en&page=3"))
    years = [row.split("|")[0] for row in rows_of(last, "Pension personal account by year")]
    assert years == ["2004", "2003", "2002", "2001", "2000"]
    assert "Next page" not in last and "Previous page" in last
    # Choosing a year opens the page that holds it.
    chosen = text(dezhou.get(PATH + "?lang=en&year=2003"))
    assert (
        "Page 3 of 3" in chosen
        and '<tr aria-current="true">\n        <th scope="row">2003</th>' in chosen
    )
    assert rows_of(chosen, "Pension contributions in 2003")[0].startswith("Jan 2003|")
    for query, message in (
        ("page=4", "There is no page 4; the last page is 3."),
        ("page=-1", "The page number must be a whole number from 1 up."),
        ("page=abc", "The page number must be a whole number from 1 up."),
        ("page=" + "1" * 10_000, "The page number must be a whole number from 1 up."),
        ("year=1999", "There are no records for 1999. Choose a year from the list."),
        ("year=%3Cb%3E", "Choose a year from the list."),
        ("year=" + "2" * 10_000, "Choose a year from the list."),
    ):
        page = dezhou.get(f"{PATH}?lang=en&{query}")
        html = text(page)
        assert page.status_code == 200, query
        assert f'<div class="form-error" role="alert"><p>{message}</p></div>' in html, query
        assert "<tbody>" not in html and "<b>" not in html


def test_no_pension_contributions_is_a_plain_sentence(dezhou, make_resident):
    me = make_resident("dezhou", 1)
    dezhou.login(me.id_number, me.password)
    html = text(dezhou.get(PATH + "?lang=en"))
    assert (
        '<p class="empty" role="status">There are no employee pension contributions on record '
        "for you, so your pension personal account has no entries.</p>"
    ) in html
    assert "<table" not in html


def test_only_my_own_pension_rows_count(dezhou, binzhou, make_resident, record):
    me = make_resident("dezhou", 1)
    other = make_resident("dezhou", 2)
    namesake = make_resident("binzhou", 1)
    record("dezhou", me.id, 2024, base="5000", months=[1])
    record("dezhou", other.id, 2024, base="9000")
    record("binzhou", namesake.id, 2023, base="9000")
    dezhou.login(me.id_number, me.password)
    html = text(dezhou.get(PATH + "?lang=en"))
    assert rows_of(html, "Pension personal account by year") == [
        "2024|1|5,000.00|400.00|3.00%|0.00|400.00"
    ]
    assert "9,000" not in html
    assert "There are no records for 2023" in text(dezhou.get(PATH + "?lang=en&year=2023"))


def test_binzhou_has_it_without_a_menu_entry_and_linhu_does_not(
    binzhou, linhu, make_resident, record
):
    me = make_resident("binzhou", 1)
    record("binzhou", me.id, 2024)
    binzhou.login(me.id_number, me.password)
    assert "<h1>养老账户查询</h1>" in text(binzhou.get(PATH))
    assert linhu.get(PATH).status_code == 404


def test_demo_employee_has_an_account_history(app, dezhou, city_of):
    with app.app_context():
        seed_city(city_of("dezhou"), persons=0, seed=2026)
    dezhou.login(demo_id_number(city_of("dezhou"), DEMO_PEOPLE[0]), DEMO_PASSWORD)
    html = text(dezhou.get(PATH + "?lang=en"))
    years = rows_of(html, "Pension personal account by year")
    assert len(years) == 10 and years[0].startswith("2026|")  # Jan–Oct 2026 so far
    assert "Page 1 of 3" in html  # 2005–2026: 22 years
