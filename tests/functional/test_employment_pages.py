"""公共就业 pages: job postings (招聘信息) and job seekers (求职信息).

Searches by each criterion, paging, masking of seekers, city scoping, public access versus
login, and bad input (never a 500, never another city's rows).
"""

from __future__ import annotations

import html as html_lib
import re
from datetime import timedelta
from decimal import Decimal

import pytest

from shebao.core.extensions import db
from shebao.core.time import local_today
from tests.factories_employment import job_posting, job_seeker

JOBS = "/employment/jobs"
SEEKERS = "/employment/seekers"


def shown(day) -> str:
    """A day as the English pages write it (Babel's medium date: ``Dec 2, 2026``)."""
    return f"{day:%b} {day.day}, {day.year}"


@pytest.fixture
def add(app):
    """``add(factory, city, seq, **values)`` inside an app context, committed."""

    def make(factory, city: str, seq: int, **values):
        with app.app_context():
            row = factory(city, seq, **values)
            db.session.commit()
            return row.reference

    return make


def page_of(client, path: str, **params) -> tuple[int, str]:
    params.setdefault("lang", "en")
    response = client.get(path, query_string=params)
    return response.status_code, response.get_data(as_text=True)


def titles(html: str) -> list[str]:
    """Position titles in the result table, in order."""
    return re.findall(r"<td><strong>([^<]*)</strong>", html)


def body_rows(html: str) -> int:
    tbody = re.search(r"<tbody>(.*?)</tbody>", html, re.S)
    return tbody.group(1).count("<tr>") if tbody else 0


# ---------------------------------------------------------------- access


def test_binzhou_lets_anyone_search_without_logging_in(binzhou, add):
    add(job_posting, "binzhou", 1, title="纺织挡车工")
    add(job_seeker, "binzhou", 1)
    jobs = binzhou.get(JOBS)
    assert jobs.status_code == 200
    html = jobs.get_data(as_text=True)
    assert "<h1>招聘信息</h1>" in html  # Binzhou's own menu label
    assert "纺织挡车工" in html
    seekers = binzhou.get(SEEKERS)
    assert seekers.status_code == 200
    assert "<h1>求职信息</h1>" in seekers.get_data(as_text=True)


def test_a_city_with_public_false_asks_for_a_login(linhu, make_resident, add):
    add(job_posting, "linhu", 1, title="Linhu welder")
    for path in (JOBS, SEEKERS):
        response = linhu.get(path)
        assert response.status_code == 302
        assert f"/account/login?next={path}" in response.headers["Location"]
    resident = make_resident("linhu", 4)
    assert linhu.login(resident.id_number, resident.password).status_code == 302
    status, html = page_of(linhu, JOBS)
    assert status == 200 and "Linhu welder" in html
    assert linhu.get(JOBS).headers["Cache-Control"] == "no-store"


def test_a_city_without_the_module_answers_404(dezhou, add):
    add(job_posting, "dezhou", 1)
    assert dezhou.get(JOBS).status_code == 404
    assert dezhou.get(SEEKERS).status_code == 404


# ---------------------------------------------------------------- scoping


def test_another_citys_postings_and_seekers_never_show(binzhou, linhu, make_resident, add):
    add(job_posting, "binzhou", 1, title="滨州岗位", district="滨城区")
    add(job_posting, "dezhou", 2, title="德州岗位", district="德城区", employer="德州单位")
    add(job_posting, "linhu", 3, title="临湖岗位", district="临湖城区")
    add(job_seeker, "binzhou", 1, name="滨州人", district="博兴县")
    add(job_seeker, "dezhou", 2, name="德州人", district="齐河县")
    status, html = page_of(binzhou, JOBS)
    assert titles(html) == ["滨州岗位"]
    assert "德城区" not in html and "临湖城区" not in html  # nor in the district list
    assert "Job postings found: 1" in html
    _, html = page_of(binzhou, JOBS, keyword="德州")
    assert titles(html) == []
    _, html = page_of(binzhou, JOBS, district="德城区")
    assert titles(html) == [] and "Choose a district from the list." in html
    _, html = page_of(binzhou, SEEKERS)
    assert "滨**" in html and "德**" not in html and "齐河县" not in html
    resident = make_resident("linhu", 5)
    linhu.login(resident.id_number, resident.password)
    _, html = page_of(linhu, JOBS)
    assert titles(html) == ["临湖岗位"]


# ---------------------------------------------------------------- the job list


def test_only_postings_still_valid_are_listed_newest_first(binzhou, add):
    today = local_today()
    add(job_posting, "binzhou", 1, title="昨天截止", valid_until=today - timedelta(days=1))
    add(
        job_posting,
        "binzhou",
        2,
        title="今天截止",
        valid_until=today,
        published_on=today - timedelta(days=20),
    )
    add(job_posting, "binzhou", 3, title="最新发布", published_on=today)
    add(job_posting, "binzhou", 4, title="上月发布", published_on=today - timedelta(days=35))
    _, html = page_of(binzhou, JOBS)
    assert titles(html) == ["最新发布", "今天截止", "上月发布"]
    assert "昨天截止" not in html


def test_a_posting_row_shows_its_facts(binzhou, add):
    today = local_today()
    add(
        job_posting,
        "binzhou",
        1,
        title="会计",
        employer="滨州正信会计师事务所",
        occupation="finance",
        district="邹平市",
        education="bachelor",
        salary_min=Decimal("4500"),
        salary_max=Decimal("7000.5"),
        headcount=3,
        contact_phone="0543-3161234",
        published_on=today,
        valid_until=today + timedelta(days=9),
        description="负责日常账务处理。",
    )
    _, html = page_of(binzhou, JOBS)
    html = html_lib.unescape(html)
    for text in (
        "会计",
        "滨州正信会计师事务所",
        "Finance and accounting",
        "邹平市",
        "Bachelor's degree",
        "4,500.00 – 7,000.50",
        ">3<",
        "0543-3161234",
        shown(today),
        shown(today + timedelta(days=9)),
        "负责日常账务处理。",
    ):
        assert text in html, text


@pytest.mark.parametrize("keyword", ["挡车", "鑫源纺织", "倒班", "  倒班  "])
def test_keyword_matches_title_employer_or_description(binzhou, add, keyword):
    add(
        job_posting,
        "binzhou",
        1,
        title="纺织挡车工",
        employer="滨州鑫源纺织有限公司",
        description="可适应倒班。",
    )
    add(
        job_posting,
        "binzhou",
        2,
        title="会计",
        employer="滨州正信会计师事务所",
        description="双休。",
    )
    _, html = page_of(binzhou, JOBS, keyword=keyword)
    assert titles(html) == ["纺织挡车工"]


def test_keyword_is_case_insensitive_for_latin_letters(binzhou, add):
    add(job_posting, "binzhou", 1, title="Java开发工程师")
    _, html = page_of(binzhou, JOBS, keyword="JAVA")
    assert titles(html) == ["Java开发工程师"]


def test_search_by_occupation_district_and_education(binzhou, add):
    add(
        job_posting,
        "binzhou",
        1,
        title="A",
        occupation="it",
        district="滨城区",
        education="bachelor",
    )
    add(
        job_posting,
        "binzhou",
        2,
        title="B",
        occupation="it",
        district="博兴县",
        education="college",
    )
    add(
        job_posting,
        "binzhou",
        3,
        title="C",
        occupation="catering",
        district="博兴县",
        education="any",
    )
    assert titles(page_of(binzhou, JOBS, occupation="it")[1]) == ["A", "B"]
    assert sorted(titles(page_of(binzhou, JOBS, district="博兴县")[1])) == ["B", "C"]
    assert titles(page_of(binzhou, JOBS, education="any")[1]) == ["C"]
    assert titles(page_of(binzhou, JOBS, occupation="it", district="博兴县")[1]) == ["B"]
    assert titles(page_of(binzhou, JOBS, occupation="catering", education="bachelor")[1]) == []


def test_the_district_list_offers_the_districts_in_the_data(binzhou, add):
    add(job_posting, "binzhou", 1, district="沾化区")
    add(job_posting, "binzhou", 2, district="阳信县")
    add(job_posting, "binzhou", 3, district="阳信县")
    add(job_posting, "binzhou", 4, district="无棣县", valid_until=local_today() - timedelta(days=3))
    _, html = page_of(binzhou, JOBS, district="阳信县")
    select = re.search(r'<select id="district" name="district">(.*?)</select>', html, re.S).group(1)
    options = re.findall(r'<option[^>]*value="([^"]*)"', select)
    assert options == [
        "",
        "沾化区",
        "阳信县",
    ]  # "" = All; the expired posting's district is not offered
    assert re.search(r'<option selected value="阳信县">|<option value="阳信县" selected', select)


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        ("", "", ["3000-4000", "5000-6000", "8000-12000"]),
        ("5500", "", ["5000-6000", "8000-12000"]),  # ranges overlap when the max reaches the wish
        ("", "4500", ["3000-4000"]),
        ("4000", "5000", ["3000-4000", "5000-6000"]),  # the bounds count
        ("6000.01", "7999.99", []),
        ("13000", "", []),
    ],
)
def test_salary_range_matches_overlapping_postings(binzhou, add, low, high, expected):
    for seq, (a, b) in enumerate(((3000, 4000), (5000, 6000), (8000, 12000)), start=1):
        add(
            job_posting,
            "binzhou",
            seq,
            title=f"{a}-{b}",
            salary_min=Decimal(a),
            salary_max=Decimal(b),
            published_on=local_today() - timedelta(days=seq),
        )
    _, html = page_of(binzhou, JOBS, salary_min=low, salary_max=high)
    assert titles(html) == expected


def test_a_salary_range_whose_max_is_below_its_min_is_explained(binzhou, add):
    add(job_posting, "binzhou", 1)
    status, html = page_of(binzhou, JOBS, salary_min="6000", salary_max="3000")
    assert status == 200
    assert "The highest salary cannot be lower than the lowest salary." in html
    assert 'aria-describedby="salary_max-error"' in html
    assert 'value="6000"' in html and 'value="3000"' in html  # what was typed is kept
    assert titles(html) == []


@pytest.mark.parametrize(
    "value", ["abc", "-100", "4500.123", "1e5", "99999999", "１２３", "12 000"]
)
def test_a_salary_that_is_not_an_amount_is_explained(binzhou, add, value):
    add(job_posting, "binzhou", 1)
    status, html = page_of(binzhou, JOBS, salary_min=value)
    assert status == 200
    assert "Enter the salary as a number of yuan, for example 4500." in html
    assert titles(html) == []


def test_a_salary_above_the_cap_is_explained(binzhou):
    _, html = page_of(binzhou, JOBS, salary_max="2000000")
    assert "The salary can be at most 1,000,000 yuan." in html


def test_a_salary_is_compared_to_the_fen(binzhou, add):
    add(
        job_posting,
        "binzhou",
        1,
        title="X",
        salary_min=Decimal("3000"),
        salary_max=Decimal("4000.01"),
    )
    assert titles(page_of(binzhou, JOBS, salary_min="4000.01")[1]) == ["X"]
    assert titles(page_of(binzhou, JOBS, salary_min="4000.02")[1]) == []
    assert titles(page_of(binzhou, JOBS, salary_min="4,000")[1]) == [
        "X"
    ]  # thousands separators are fine


@pytest.mark.parametrize(
    ("param", "value", "message"),
    [
        ("occupation", "astronaut", "Choose an occupation from the list."),
        ("education", "phd", "Choose an education level from the list."),
        ("district", "x" * 5000, "Choose a district from the list."),
    ],
)
def test_values_not_in_the_lists_are_explained(binzhou, add, param, value, message):
    add(job_posting, "binzhou", 1)
    status, html = page_of(binzhou, JOBS, **{param: value})
    assert status == 200 and message in html and titles(html) == []


def test_nothing_found_is_a_plain_sentence(binzhou, add):
    status, html = page_of(binzhou, JOBS)
    assert status == 200 and "No open job postings match your search." in html
    assert "<table" not in html
    add(job_posting, "binzhou", 1, title="厨师")
    _, html = page_of(binzhou, JOBS, keyword="飞行员")
    assert "No open job postings match your search." in html


# ---------------------------------------------------------------- hostile input


def test_sql_looking_keyword_is_plain_text(binzhou, add):
    add(job_posting, "binzhou", 1, title="厨师")
    add(job_posting, "binzhou", 2, title="Manager ' OR 1=1 -- night shift")
    status, html = page_of(binzhou, JOBS, keyword="' OR 1=1 --")
    assert status == 200
    assert [html_lib.unescape(title) for title in titles(html)] == [
        "Manager ' OR 1=1 -- night shift"
    ]
    _, html = page_of(binzhou, JOBS, keyword="x' OR '1'='1")
    assert titles(html) == []
    _, html = page_of(binzhou, JOBS, district="' OR 1=1 --")
    assert titles(html) == []


def test_like_wildcards_in_the_keyword_match_only_themselves(binzhou, add):
    add(job_posting, "binzhou", 1, title="厨师")
    add(job_posting, "binzhou", 2, title="提成100%")
    assert titles(page_of(binzhou, JOBS, keyword="%")[1]) == ["提成100%"]
    assert titles(page_of(binzhou, JOBS, keyword="_")[1]) == []


def test_html_in_the_keyword_is_escaped(binzhou, add):
    add(job_posting, "binzhou", 1, title="厨师")
    status, html = page_of(binzhou, JOBS, keyword="<script>alert(1)</script>")
    assert status == 200
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert titles(html) == []


def test_html_stored_in_a_posting_is_escaped(binzhou, add):
    add(
        job_posting, "binzhou", 1, title="<b>厨师</b>", description='<img src=x onerror="alert(1)">'
    )
    _, html = page_of(binzhou, JOBS)
    assert "<b>厨师</b>" not in html and "&lt;b&gt;厨师&lt;/b&gt;" in html
    assert "<img src=x" not in html


def test_a_very_long_keyword_is_explained_not_a_500(binzhou, add):
    add(job_posting, "binzhou", 1)
    status, html = page_of(binzhou, JOBS, keyword="岗" * 10_000)
    assert status == 200
    assert "Search text can have at most 50 characters." in html
    assert 'aria-describedby="keyword-error"' in html
    assert titles(html) == []


def test_control_characters_in_the_keyword_are_refused_with_a_message(binzhou, add):
    add(job_posting, "binzhou", 1, title="厨师")
    status, html = page_of(binzhou, JOBS, keyword="厨\x00师\x1b")
    assert status == 200 and titles(html) == []
    assert "control characters" in html


def test_a_50_character_keyword_is_accepted(binzhou, add):
    add(job_posting, "binzhou", 1, title="岗" * 50)
    assert titles(page_of(binzhou, JOBS, keyword="岗" * 50)[1]) == ["岗" * 50]


# ---------------------------------------------------------------- paging


@pytest.fixture
def twenty_five(add):
    today = local_today()
    for seq in range(1, 26):
        add(
            job_posting,
            "binzhou",
            seq,
            title=f"岗位{seq:02d}",
            published_on=today - timedelta(days=seq),
        )


def test_pages_of_ten_with_next_and_previous(binzhou, twenty_five):
    _, html = page_of(binzhou, JOBS)
    assert titles(html) == [f"岗位{n:02d}" for n in range(1, 11)]
    assert 'rel="next"' in html and 'rel="prev"' not in html
    assert "Page 1 of 3" in html and "Job postings found: 25" in html
    _, html = page_of(binzhou, JOBS, page="2")
    assert titles(html) == [f"岗位{n:02d}" for n in range(11, 21)]
    assert 'rel="next"' in html and 'rel="prev"' in html
    _, html = page_of(binzhou, JOBS, page="3")
    assert titles(html) == [f"岗位{n:02d}" for n in range(21, 26)]
    assert 'rel="next"' not in html and 'rel="prev"' in html


def test_paging_links_keep_the_search(binzhou, twenty_five, add):
    for seq in range(30, 45):
        add(job_posting, "binzhou", seq, title=f"其他{seq}", occupation="it")
    _, html = page_of(binzhou, JOBS, occupation="it")
    assert "Page 1 of 2" in html
    link = html_lib.unescape(re.search(r'<a rel="next" href="([^"]+)"', html).group(1))
    assert "occupation=it" in link and "page=2" in link and "lang" not in link
    response = binzhou.get(JOBS + link)
    status, html = response.status_code, response.get_data(as_text=True)
    assert status == 200 and len(titles(html)) == 5
    assert all(title.startswith("其他") for title in titles(html))


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("4", "There is no page 4; the last page is 3."),
        ("999999999999", "There is no page 999999999999; the last page is 3."),
        ("0", "The page number must be a whole number from 1 up."),
        ("-1", "The page number must be a whole number from 1 up."),
        ("abc", "The page number must be a whole number from 1 up."),
        ("1" * 100, "The page number must be a whole number from 1 up."),
    ],
)
def test_bad_page_numbers_are_explained(binzhou, twenty_five, page, message):
    status, html = page_of(binzhou, JOBS, page=page)
    assert status == 200 and message in html and titles(html) == []


def test_page_two_of_an_empty_result_is_explained(binzhou):
    _, html = page_of(binzhou, JOBS, page="2")
    assert "There is no page 2; the last page is 1." in html


# ---------------------------------------------------------------- job seekers


def test_seekers_are_listed_with_name_and_phone_masked(binzhou, add):
    add(
        job_seeker,
        "binzhou",
        1,
        name="王小明",
        phone="13912345678",
        sex="M",
        birth_year=1990,
        desired_occupation="logistics",
        district="惠民县",
        education="vocational",
        expected_salary=Decimal("5500"),
    )
    add(job_seeker, "binzhou", 2, name="欧阳娜娜", phone="15866667777")
    for lang in ("en", "zh_CN"):
        status, html = page_of(binzhou, SEEKERS, lang=lang)
        assert status == 200
        assert "王小明" not in html and "小明" not in html and "13912345678" not in html
        assert "欧阳娜娜" not in html and "15866667777" not in html
        assert "王**" in html and "139****5678" in html
        assert "欧***" in html and "158****7777" in html
    _, html = page_of(binzhou, SEEKERS)
    age = local_today().year - 1990
    for text in (
        "Male",
        f">{age}<",
        "Transport and logistics",
        "惠民县",
        "Secondary vocational school",
        "5,500.00",
        "0543-12333",
    ):
        assert text in html, text


def test_the_seeker_pages_never_carry_the_full_values_even_when_searched(binzhou, add):
    add(job_seeker, "binzhou", 1, name="王小明", phone="13912345678")
    for params in ({}, {"page": "1"}, {"occupation": "manufacturing"}, {"district": "滨城区"}):
        _, html = page_of(binzhou, SEEKERS, **params)
        assert "王小明" not in html and "13912345678" not in html


def test_seekers_search_by_occupation_district_and_education(binzhou, add):
    add(
        job_seeker,
        "binzhou",
        1,
        name="甲一",
        desired_occupation="it",
        district="滨城区",
        education="bachelor",
    )
    add(
        job_seeker,
        "binzhou",
        2,
        name="乙二",
        desired_occupation="it",
        district="博兴县",
        education="college",
    )
    add(
        job_seeker,
        "binzhou",
        3,
        name="丙三",
        desired_occupation="catering",
        district="博兴县",
        education="college",
    )

    def names(**params):
        return sorted(re.findall(r"<td>(.)\*+</td>", page_of(binzhou, SEEKERS, **params)[1]))

    assert names() == ["丙", "乙", "甲"]
    assert names(occupation="it") == ["乙", "甲"]
    assert names(district="博兴县") == ["丙", "乙"]
    assert names(education="college") == ["丙", "乙"]
    assert names(occupation="it", district="博兴县", education="college") == ["乙"]
    assert names(education="master") == []
    _, html = page_of(binzhou, SEEKERS, education="master")
    assert "No job seekers match your search." in html


def test_seekers_are_paged_newest_first(binzhou, add):
    today = local_today()
    for seq in range(1, 13):
        add(job_seeker, "binzhou", seq, registered_on=today - timedelta(days=seq))
    _, html = page_of(binzhou, SEEKERS)
    assert body_rows(html) == 10 and 'rel="next"' in html and "Job seekers found: 12" in html
    assert html.index(shown(today - timedelta(days=1))) < html.index(
        shown(today - timedelta(days=2))
    )
    _, html = page_of(binzhou, SEEKERS, page="2")
    assert body_rows(html) == 2 and 'rel="prev"' in html
    _, html = page_of(binzhou, SEEKERS, page="3")
    assert "There is no page 3; the last page is 2." in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"occupation": "' OR 1=1 --"}, "Choose an occupation from the list."),
        (
            {"education": "any"},
            "Choose an education level from the list.",
        ),  # 不限 is no seeker's level
        ({"district": "<script>"}, "Choose a district from the list."),
        ({"page": "-3"}, "The page number must be a whole number from 1 up."),
    ],
)
def test_bad_seeker_searches_are_explained(binzhou, add, params, message):
    add(job_seeker, "binzhou", 1)
    status, html = page_of(binzhou, SEEKERS, **params)
    assert status == 200 and message in html and body_rows(html) == 0
    assert "<script>" not in html.split("<main", 1)[1]


# ---------------------------------------------------------------- page structure


@pytest.mark.parametrize("path", [JOBS, SEEKERS])
def test_pages_are_accessible(binzhou, add, path):
    add(job_posting, "binzhou", 1)
    add(job_seeker, "binzhou", 1)
    _, html = page_of(binzhou, path)
    assert html.count("<h1>") == 1
    assert '<div class="table-wrap">' in html and "<caption>" in html
    assert '<th scope="col"' in html and "<tfoot>" in html and 'class="number"' in html
    for select_id in ("occupation", "district", "education"):
        assert f'<label for="{select_id}">' in html
    assert '<button type="submit" class="button">Query</button>' in html
    assert 'method="get"' in html and 'role="search"' in html
