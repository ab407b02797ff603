"""缴费历史 pages: a year at a time, paged, with the year's totals; bad input gets a message;
only the logged-in person's rows of this city ever show."""

from __future__ import annotations

import random
import re
from datetime import date

import pytest

from shebao.core.extensions import db
from shebao.modules.contributions.models import SELF_PAYER
from shebao.modules.contributions.seed import seed_contributions
from shebao.people.demo import DEMO_PASSWORD, DEMO_PEOPLE, demo_id_number
from shebao.people.insurance import InsuranceType
from shebao.seeding import seed_city
from shebao.tenancy.city import City
from tests.factories_contributions import record_months

PATHS = {kind: "/contributions/" + kind.value.replace("_", "-") for kind in InsuranceType}
ZHANG = DEMO_PEOPLE[0]  # employee with an account in both cities


def text(response) -> str:
    return response.get_data(as_text=True)


def h1(html: str) -> str:
    found = re.findall(r"<h1>(.*?)</h1>", html, re.S)
    assert len(found) == 1, found
    return found[0]


def body_rows(html: str) -> list[str]:
    """The <tbody> rows of the first table, as text with cells separated by |."""
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    return [
        "|".join(c.strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S))
        for row in rows
    ]


def tfoot(html: str) -> str:
    return re.sub(r"\s+", " ", re.search(r"<tfoot>(.*?)</tfoot>", html, re.S).group(1))


@pytest.fixture
def record(app, city_of):
    """``record(city, person_id, type, year, ...)``: committed rows at the city's rates."""

    def add(city: str, person_id: int, kind: str, year: int, **values):
        with app.app_context():
            rows = record_months(city_of(city), person_id, kind, year, **values)
            db.session.commit()
            return len(rows)

    return add


@pytest.fixture
def demo(app, city_of):
    """Both cities' fixed demo people (no generated ones), with every module's demo data."""
    with app.app_context():
        for code in ("binzhou", "dezhou"):
            seed_city(city_of(code), persons=0, seed=2026)
    return {code: demo_id_number(city_of(code), ZHANG) for code in ("binzhou", "dezhou")}


# ----------------------------------------------------------------------- demo residents


def test_binzhou_demo_employee_sees_every_employee_history(binzhou, demo):
    assert binzhou.login(demo["binzhou"], DEMO_PASSWORD).status_code == 302
    for kind in InsuranceType:
        page = binzhou.get(PATHS[kind] + "?lang=en")
        html = text(page)
        assert page.status_code == 200, kind
        assert page.headers["Cache-Control"] == "no-store"
        if kind in (InsuranceType.RESIDENT_PENSION, InsuranceType.RESIDENT_MEDICAL):
            assert "There are no contributions to this insurance on record for you." in html
            continue
        assert '<option value="2026" selected>2026</option>' in html  # newest year first
        assert "Query year" in html and ">Query</button>" in html
        months = body_rows(html)
        assert months[0].startswith("Jan 2026|") and months[-1].startswith("Oct 2026|")
        assert "滨州市供电有限公司" in months[0]
        assert "Months paid in 2026:" in tfoot(html)


def test_binzhou_titles_are_the_citys_own_labels(binzhou, demo):
    binzhou.login(demo["binzhou"], DEMO_PASSWORD)
    assert h1(text(binzhou.get(PATHS[InsuranceType.PENSION]))) == "职工养老保险缴费历史"
    assert h1(text(binzhou.get(PATHS[InsuranceType.RESIDENT_MEDICAL]))) == "居民医疗保险缴费历史"


def test_binzhou_resident_sees_yearly_resident_contributions(app, binzhou, make_resident, city_of):
    resident = make_resident("binzhou", 5, category="resident", employer=None)
    with app.app_context():
        person = {
            "id": resident.id,
            "category": "resident",
            "birth_date": date(1980, 1, 6),
            "sex": "M",
            "employer": None,
        }
        seed_contributions(city_of("binzhou"), [person], random.Random(1))
        db.session.commit()
    binzhou.login(resident.id_number, resident.password)
    medical = text(binzhou.get(PATHS[InsuranceType.RESIDENT_MEDICAL] + "?lang=en&year=2024"))
    assert body_rows(medical) == ["Jan 2024|400.00|670.00|Paid|Self-paid"]
    assert "Government subsidy (yuan)" in medical and "Contribution base" not in medical
    pension = text(binzhou.get(PATHS[InsuranceType.RESIDENT_PENSION] + "?lang=en"))
    assert len(body_rows(pension)) == 1 and "2026|" in body_rows(pension)[0]
    assert "There are no contributions" in text(
        binzhou.get(PATHS[InsuranceType.PENSION] + "?lang=en")
    )


def test_dezhou_demo_employee_sees_unemployment_and_work_injury(dezhou, demo):
    assert dezhou.login(demo["dezhou"], DEMO_PASSWORD).status_code == 302
    unemployment = text(dezhou.get(PATHS[InsuranceType.UNEMPLOYMENT] + "?year=2020"))
    assert h1(unemployment) == "失业缴费查询"
    assert len(body_rows(unemployment)) == 12
    work_injury = text(dezhou.get(PATHS[InsuranceType.WORK_INJURY]))
    assert h1(work_injury) == "工伤缴费查询"
    assert body_rows(work_injury)[0].startswith("2026年1月|")


def test_types_a_city_did_not_enable_are_not_found(dezhou, linhu, make_resident):
    resident = make_resident("dezhou", 1)
    dezhou.login(resident.id_number, resident.password)
    for kind in (
        InsuranceType.MATERNITY,
        InsuranceType.PENSION,
        InsuranceType.MEDICAL,
        InsuranceType.RESIDENT_PENSION,
        InsuranceType.RESIDENT_MEDICAL,
    ):
        assert dezhou.get(PATHS[kind]).status_code == 404, kind
    assert dezhou.get(PATHS[InsuranceType.UNEMPLOYMENT]).status_code == 200
    assert linhu.get(PATHS[InsuranceType.PENSION]).status_code == 404  # module off in Linhu


# ----------------------------------------------------------------------- amounts


def test_amounts_follow_the_citys_rates_and_the_year_adds_up(binzhou, make_resident, record):
    me = make_resident("binzhou", 1)
    record("binzhou", me.id, "pension", 2024, base="5000")
    binzhou.login(me.id_number, me.password)
    html = text(binzhou.get(PATHS[InsuranceType.PENSION] + "?lang=en&year=2024"))
    rows = body_rows(html)
    assert len(rows) == 12
    # Binzhou 2019 rule, in force in 2024: pension 8 % individual, 16 % employer.
    assert rows[0] == "Jan 2024|5,000.00|400.00|800.00|Paid|测试单位"
    foot = tfoot(html)
    assert "Months paid in 2024: 12" in foot
    assert "4,800.00" in foot and "9,600.00" in foot


def test_amounts_are_rounded_half_up_to_the_fen_and_the_base_is_clamped(
    binzhou, make_resident, record
):
    me = make_resident("binzhou", 1)
    # 3315 × 0.3 % = 9.945 → 9.95; 3315 × 0.7 % = 23.205 → 23.21 (half up, not half even).
    record("binzhou", me.id, "unemployment", 2024, months=[1], base="3315")
    # Above base_max (16,500 in 2024): clamped.
    record("binzhou", me.id, "unemployment", 2024, months=[2], base="99999")
    # Below base_min (3,300): raised to it.
    record("binzhou", me.id, "unemployment", 2024, months=[3], base="1000")
    binzhou.login(me.id_number, me.password)
    rows = body_rows(text(binzhou.get(PATHS[InsuranceType.UNEMPLOYMENT] + "?lang=en")))
    assert rows[0].startswith("Jan 2024|3,315.00|9.95|23.21|")
    assert rows[1].startswith("Feb 2024|16,500.00|49.50|115.50|")
    assert rows[2].startswith("Mar 2024|3,300.00|9.90|23.10|")


def test_arrears_and_refunds_are_shown_and_kept_out_of_the_paid_total(
    binzhou, make_resident, record
):
    me = make_resident("binzhou", 1)
    record("binzhou", me.id, "medical", 2025, months=range(1, 10), base="5000")
    record("binzhou", me.id, "medical", 2025, months=[10, 11], base="5000", status="arrears")
    record(
        "binzhou",
        me.id,
        "medical",
        2025,
        months=[12],
        base="5000",
        status="refunded",
        payer=SELF_PAYER,
    )
    binzhou.login(me.id_number, me.password)
    html = text(binzhou.get(PATHS[InsuranceType.MEDICAL] + "?lang=en"))
    rows = body_rows(html)
    assert rows[9].endswith("|In arrears|测试单位") and rows[11].endswith("|Refunded|Self-paid")
    foot = tfoot(html)
    # 2 % and 7 % of 5,000: 100.00 and 350.00 a month.
    assert "Months paid in 2025: 9" in foot and "900.00" in foot and "3,150.00" in foot
    assert "Months in arrears: 2" in foot and "200.00" in foot and "700.00" in foot
    chinese = text(binzhou.get(PATHS[InsuranceType.MEDICAL] + "?lang=zh_CN"))
    assert "<h1>职工医疗保险缴费历史</h1>" in chinese


# ----------------------------------------------------------------------- years and pages


def test_years_list_only_the_persons_years_newest_selected(binzhou, make_resident, record):
    me = make_resident("binzhou", 1)
    for year in (2019, 2021, 2022):
        record("binzhou", me.id, "pension", year, months=[6])
    binzhou.login(me.id_number, me.password)
    html = text(binzhou.get(PATHS[InsuranceType.PENSION] + "?lang=en"))
    options = re.findall(r'<option value="(\d+)" ?(selected)?>', html)
    assert options == [("2022", "selected"), ("2021", ""), ("2019", "")]
    assert body_rows(html)[0].startswith("Jun 2022|")
    older = text(binzhou.get(PATHS[InsuranceType.PENSION] + "?lang=en&year=2019"))
    assert body_rows(older)[0].startswith("Jun 2019|")
    assert '<option value="2019" selected>2019</option>' in older


@pytest.mark.parametrize(
    "query, message",
    [
        ("year=2020", "There are no records for 2020. Choose a year from the list."),
        ("year=1990", "There are no records for 1990. Choose a year from the list."),
        ("year=abc", "Choose a year from the list."),
        ("year=-2024", "Choose a year from the list."),
        ("year=" + "9" * 10_000, "Choose a year from the list."),
        ("year=2024%27%20OR%201%3D1--", "Choose a year from the list."),
        ("year=%3Cscript%3Ealert(1)%3C/script%3E", "Choose a year from the list."),
        ("page=2", "There is no page 2; the last page is 1."),
        ("page=0", "The page number must be a whole number from 1 up."),
        ("page=-1", "The page number must be a whole number from 1 up."),
        ("page=abc", "The page number must be a whole number from 1 up."),
        ("page=" + "9" * 10_000, "The page number must be a whole number from 1 up."),
    ],
)
def test_bad_year_or_page_gets_a_message_not_an_error(
    binzhou, make_resident, record, query, message
):
    me = make_resident("binzhou", 1)
    record("binzhou", me.id, "pension", 2024)
    binzhou.login(me.id_number, me.password)
    page = binzhou.get(f"{PATHS[InsuranceType.PENSION]}?lang=en&{query}")
    html = text(page)
    assert page.status_code == 200
    assert f'<div class="form-error" role="alert"><p>{message}</p></div>' in html
    assert "<tbody>" not in html.split("All years at a glance")[0]  # no month table
    assert "<script>alert" not in html


@pytest.fixture
def five_per_page(monkeypatch):
    """Binzhou's contributions.page_size set to 5 (the shipped cities show 12, a whole year)."""
    original = City.options

    def options(self, name):
        found = original(self, name)
        if name == "contributions" and self.code == "binzhou":
            return found.model_copy(update={"page_size": 5})
        return found

    monkeypatch.setattr(City, "options", options)


def test_paging_through_a_year(binzhou, make_resident, record, five_per_page):
    me = make_resident("binzhou", 1)
    record("binzhou", me.id, "work_injury", 2024, base="4000")
    binzhou.login(me.id_number, me.password)
    path = PATHS[InsuranceType.WORK_INJURY] + "?lang=en&year=2024"
    first = text(binzhou.get(path))
    assert [row.split("|")[0] for row in body_rows(first)] == [
        f"{date(2024, m, 1):%b} 2024" for m in range(1, 6)
    ]
    assert "Page 1 of 3" in first and "Previous page" not in first
    assert 'href="?year=2024&amp;page=2">Next page</a>' in first
    middle = text(binzhou.get(path + "&page=2"))
    assert [row.split("|")[0] for row in body_rows(middle)] == [
        f"{date(2024, m, 1):%b} 2024" for m in range(6, 11)
    ]
    assert "Previous page" in middle and "Next page" in middle
    last = text(binzhou.get(path + "&page=3"))
    assert [row[:8] for row in body_rows(last)] == ["Nov 2024", "Dec 2024"]
    assert "Next page" not in last and "Page 3 of 3" in last
    # The year's total covers all twelve months on every page: 0.4 % of 4,000 = 16.00.
    assert "Months paid in 2024: 12" in tfoot(last) and "192.00" in tfoot(last)
    beyond = text(binzhou.get(path + "&page=4"))
    assert "There is no page 4; the last page is 3." in beyond


def test_no_records_at_all_is_a_plain_sentence(binzhou, make_resident):
    me = make_resident("binzhou", 1)
    binzhou.login(me.id_number, me.password)
    page = binzhou.get(PATHS[InsuranceType.MATERNITY] + "?lang=en")
    html = text(page)
    assert page.status_code == 200
    assert (
        '<p class="empty" role="status">There are no contributions to this insurance on record for you.</p>'
        in html
    )
    assert "<table" not in html and "<select" not in html


# ----------------------------------------------------------------------- whose rows


def test_only_my_rows_of_this_city_are_shown(app, binzhou, dezhou, make_resident, record):
    me = make_resident("binzhou", 1)
    neighbour = make_resident("binzhou", 2)
    namesake = make_resident("dezhou", 1)  # the same ID number, in Dezhou
    assert namesake.id_number == me.id_number
    record("binzhou", me.id, "unemployment", 2024, months=[1], base="4000")
    record("binzhou", neighbour.id, "unemployment", 2023, base="8888")
    record("binzhou", neighbour.id, "unemployment", 2024, base="8888")
    record("dezhou", namesake.id, "unemployment", 2022, base="7777")
    record("dezhou", namesake.id, "unemployment", 2024, base="7777")
    binzhou.login(me.id_number, me.password)
    path = PATHS[InsuranceType.UNEMPLOYMENT] + "?lang=en"
    html = text(binzhou.get(path))
    assert body_rows(html) == ["Jan 2024|4,000.00|12.00|28.00|Paid|测试单位"]
    assert re.findall(r'<option value="(\d+)"', html) == ["2024"]
    for query in ("&year=2023", "&year=2022"):
        other = text(binzhou.get(path + query))
        assert "There are no records for" in other
        assert "8,888" not in other and "7,777" not in other
    # The Dezhou namesake sees theirs in Dezhou only; a Binzhou session is not logged in there.
    assert dezhou.get(path).status_code == 302
    dezhou.login(namesake.id_number, namesake.password)
    theirs = text(dezhou.get(path + "&year=2022"))
    assert len(body_rows(theirs)) == 12 and "7,777.00" in theirs and "4,000.00" not in theirs


# ----------------------------------------------------------------------- the pension chart


def test_pension_page_has_a_chart_with_a_text_alternative(binzhou, make_resident, record):
    me = make_resident("binzhou", 1)
    record("binzhou", me.id, "pension", 2022, base="4000")
    record("binzhou", me.id, "pension", 2023, months=range(1, 7), base="5000")
    record("binzhou", me.id, "pension", 2024, base="6000")
    binzhou.login(me.id_number, me.password)
    html = text(binzhou.get(PATHS[InsuranceType.PENSION] + "?lang=en"))
    svgs = re.findall(r"<svg[^>]*>.*?</svg>", html, re.S)
    assert len(svgs) == 2
    for svg in svgs:
        assert 'role="img"' in svg and 'viewBox="0 0 320 ' in svg and 'width="100%"' in svg
        assert re.search(r"<title id=\"[^\"]+\">[^<]+</title>", svg)
        assert "<script" not in svg and "style=" not in svg
    assert "from 2022 (4,000.00 yuan) to 2024 (6,000.00 yuan)" in svgs[0]
    # The most paid: 2024, 12 × (480 + 960) = 17,280.00.
    assert "the most was 17,280.00 yuan in 2024" in svgs[1]
    summary = html.split("Contributions by year")[1]
    assert body_rows(summary) == [
        "2024|12|6,000.00|5,760.00|11,520.00|17,280.00",
        "2023|6|5,000.00|2,400.00|4,800.00|7,200.00",
        "2022|12|4,000.00|3,840.00|7,680.00|11,520.00",
    ]
    assert re.sub(r"\s+", " ", summary.split("<tfoot>")[1].split("</tfoot>")[0]).strip() == (
        '<tr> <th scope="row">All years</th> <td class="number">30</td> <td></td> '
        '<td class="number">12,000.00</td> <td class="number">24,000.00</td> '
        '<td class="number">36,000.00</td> </tr>'
    )
    assert 'href="/contributions/static/contributions.css?v=' in html
    assert binzhou.get("/contributions/static/contributions.css").status_code == 200


def test_only_the_pension_page_has_the_chart(binzhou, make_resident, record):
    me = make_resident("binzhou", 1)
    record("binzhou", me.id, "medical", 2024)
    binzhou.login(me.id_number, me.password)
    assert "<svg" not in text(binzhou.get(PATHS[InsuranceType.MEDICAL]))
    assert "<svg" not in text(binzhou.get(PATHS[InsuranceType.PENSION]))  # no pension rows


def test_pension_page_links_to_the_pension_account_where_the_city_has_it(
    binzhou, make_resident, record
):
    me = make_resident("binzhou", 1)
    binzhou.login(me.id_number, me.password)
    html = text(binzhou.get(PATHS[InsuranceType.PENSION]))
    assert '<a href="/pension-account/statement">养老账户查询</a>' in html
    assert "/pension-account/statement" not in text(binzhou.get(PATHS[InsuranceType.MEDICAL]))


def test_accessible_table_markup(binzhou, make_resident, record):
    me = make_resident("binzhou", 1)
    record("binzhou", me.id, "pension", 2024)
    binzhou.login(me.id_number, me.password)
    html = text(binzhou.get(PATHS[InsuranceType.PENSION] + "?lang=en"))
    assert html.count("<h1>") == 1
    assert html.count("<table") == html.count("<caption>") == 2
    assert html.count('<div class="table-wrap">') == 2
    assert '<th scope="col" class="number">Individual part (yuan)</th>' in html
    assert '<td class="number">400.00</td>' in html
    assert '<label for="year">Query year</label>' in html
