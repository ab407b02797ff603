"""人员基本信息 / 个人信息: basic insured information (both cities) and 中心业务办理进度 (Binzhou).

A serial number finds only the logged-in person's own case in their own city; every other
input (another person's serial, another city's, unknown, malformed, huge, SQL or HTML) reads
exactly the same "not found", with status 200.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from shebao.core.extensions import db
from shebao.people.models import Person, PersonInsurance
from tests.factories_personal_info import business_case, serial_of

BASIC = "/personal-info/basic"
PROGRESS = "/personal-info/progress"
NOT_FOUND = (
    "No business with this serial number was found in your records. "
    "Check the number on your receipt and try again."
)
FORM_ERROR = re.compile(r'<div class="form-error" role="alert"><p>(.*?)</p></div>', re.S)
H1 = re.compile(r"<h1[ >]")


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def main_part(response) -> str:
    page = response.get_data(as_text=True)
    return page[page.index("<main") : page.index("</main>")]


def form_errors(response) -> list[str]:
    return [html.unescape(found) for found in FORM_ERROR.findall(response.get_data(as_text=True))]


@pytest.fixture
def in_db(app):
    """Run ``fn()`` in an app context and commit; returns what ``fn`` returns."""

    def run(fn):
        with app.app_context():
            result = fn()
            db.session.commit()
            return result

    return run


@pytest.fixture
def me(binzhou, make_resident):
    """A logged-in Binzhou resident (English pages, so texts match the msgids)."""
    resident = make_resident("binzhou", 1, phone="13912340001", employer="滨州测试有限公司")
    assert binzhou.login(resident.id_number, resident.password).status_code == 302
    binzhou.get("/?lang=en")
    return resident


def person_of(resident) -> Person:
    return db.session.get(Person, resident.id)


# --- basic information --------------------------------------------------------------------


def test_basic_information_shows_the_person_with_masked_numbers(binzhou, me, in_db):
    def insure():
        for kind, status in (
            ("pension", "active"),
            ("medical", "suspended"),
            ("unemployment", "terminated"),
        ):
            db.session.add(
                PersonInsurance(
                    city="binzhou",
                    person_id=me.id,
                    insurance_type=kind,
                    status=status,
                    first_insured=date(2003 if kind == "pension" else 2006, 7, 1),
                )
            )

    in_db(insure)
    page = binzhou.get(BASIC)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    body = text(page)
    assert me.id_number not in page.get_data(as_text=True) and me.id_number not in body
    assert f"{me.id_number[:4]}**********{me.id_number[-4:]}" in body
    assert "13912340001" not in body and "139****0001" in body
    assert me.name in body and "滨州测试有限公司" in body
    sex = "Male" if int(me.id_number[16]) % 2 else "Female"
    assert f"<dt>Sex</dt><dd>{sex}</dd>" in body
    assert "<dt>Date of birth</dt><dd>Jan 2, 1980</dd>" in body
    assert "<dt>Personnel category</dt><dd>Employee</dd>" in body
    assert "<dt>First insured on</dt><dd>Jul 1, 2003</dd>" in body
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th>\s*<td>([^<]+)</td>', body))
    assert rows == {
        "Employee pension insurance": "Insured, contributing",
        "Employee medical insurance": "Contributions suspended",
        "Unemployment insurance": "Insurance terminated",
        "Work injury insurance": "Not insured",
        "Maternity insurance": "Not insured",
        "Resident pension insurance": "Not insured",
        "Resident medical insurance": "Not insured",
    }


def test_basic_information_page_is_accessible_and_titled_by_the_city(binzhou, me):
    page = binzhou.get(BASIC)
    body = page.get_data(as_text=True)
    assert len(H1.findall(body)) == 1
    assert "<h1>Insured information</h1>" in body  # Binzhou's own label (en) from city.yaml
    assert "<caption>" in body and '<div class="table-wrap">' in body
    assert body.count('<th scope="col">') == 3
    assert 'href="/personal-info/progress"' in body  # Binzhou offers business progress
    chinese = binzhou.get(BASIC + "?lang=zh_CN").get_data(as_text=True)
    assert "<h1>个人参保信息查询</h1>" in chinese


def test_basic_information_without_phone_employer_or_insurance(binzhou, make_resident):
    resident = make_resident("binzhou", 4, phone=None, employer=None, category="resident")
    binzhou.login(resident.id_number, resident.password)
    body = text(binzhou.get(BASIC + "?lang=en"))
    assert "<dt>Employer</dt><dd>Not recorded</dd>" in body
    assert "<dt>Reserved mobile number</dt><dd>Not recorded</dd>" in body
    assert "<dt>Personnel category</dt><dd>Urban and rural resident</dd>" in body
    assert body.count("<td>Not insured</td>") == 7


def test_dezhou_has_basic_information_but_no_progress_and_no_labour(dezhou, make_resident):
    resident = make_resident("dezhou", 2)
    assert dezhou.login(resident.id_number, resident.password).status_code == 302
    page = dezhou.get(BASIC)
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "<h1>个人社保基本信息</h1>" in body
    assert resident.id_number not in body
    assert "/personal-info/progress" not in body
    assert dezhou.get(PROGRESS).status_code == 404
    assert dezhou.get(PROGRESS + "?serial=" + serial_of(1)).status_code == 404
    assert dezhou.get("/labour/filings").status_code == 404


def test_linhu_switches_progress_off_in_its_options(linhu, make_resident):
    resident = make_resident("linhu", 3)
    linhu.login(resident.id_number, resident.password)
    assert linhu.get(BASIC).status_code == 200
    assert linhu.get(PROGRESS).status_code == 404


# --- business progress --------------------------------------------------------------------


def test_own_serial_shows_the_steps_and_the_current_one(binzhou, me, in_db):
    in_db(lambda: business_case("binzhou", 1, person=person_of(me), done=2))
    page = binzhou.get(PROGRESS + "?serial=" + serial_of(1))
    assert page.status_code == 200
    body = text(page)
    assert form_errors(page) == []
    assert f'<h2 id="case-heading">Business {serial_of(1)}</h2>' in body
    assert "<dd>Transfer of pension insurance</dd>" in body
    assert "<dt>Handed in</dt><dd>Mar 2, 2026 09:30</dd>" in body  # UTC 01:30 shown in Beijing time
    assert "<dt>Status</dt><dd>In progress</dd>" in body
    steps = re.findall(
        r'<tr class="step step--(\w+)"[^>]*>\s*<td class="number">(\d)</td>\s*'
        r'<th scope="row">([^<]+)</th>\s*<td>([^<]+)</td>\s*<td>([^<]+)</td>',
        body,
    )
    assert [(state, number, name, done) for state, number, name, _office, done in steps] == [
        ("done", "1", "Acceptance", "Mar 2, 2026 09:30"),
        ("done", "2", "Review", "Mar 3, 2026 09:30"),
        ("current", "3", "Second review", "—"),
        ("waiting", "4", "Completion", "—"),
    ]
    assert body.count('aria-current="step"') == 1
    assert "Being handled now" in body
    assert "<dt>Current step</dt>" in body


def test_completed_and_returned_cases(binzhou, me, in_db):
    def cases():
        person = person_of(me)
        business_case("binzhou", 1, person=person, done=4, status="completed")
        business_case(
            "binzhou", 2, person=person, done=2, status="returned", kind="card_replacement"
        )

    in_db(cases)
    completed = text(binzhou.get(PROGRESS + "?serial=" + serial_of(1)))
    assert "<dt>Status</dt><dd>Completed</dd>" in completed
    assert completed.count("step step--done") == 4 and 'aria-current="step"' not in completed
    returned = text(binzhou.get(PROGRESS + "?serial=" + serial_of(2)))
    assert "<dt>Status</dt><dd>Returned</dd>" in returned
    assert "step step--returned" in returned and "Returned here" in returned
    assert "<dt>Returned at</dt>" in returned and "This business was returned." in returned


def test_recent_cases_list_only_my_own_newest_first(binzhou, me, in_db):
    def cases():
        mine = person_of(me)
        business_case("binzhou", 1, person=mine, submitted_at=datetime(2025, 1, 5, 2, tzinfo=UTC))
        business_case("binzhou", 2, person=mine, submitted_at=datetime(2026, 2, 5, 2, tzinfo=UTC))
        business_case("binzhou", 3)  # another person's
        business_case("dezhou", 104)  # another city's

    in_db(cases)
    body = text(binzhou.get(PROGRESS))
    assert re.findall(r'<a href="\?serial=(\d+)"', body) == [serial_of(2), serial_of(1)]
    assert serial_of(3) not in body and serial_of(104) not in body


def test_no_cases_says_so(binzhou, me):
    body = text(binzhou.get(PROGRESS))
    assert "You have no business on record at the service centre." in body
    assert "<table" not in main_part(binzhou.get(PROGRESS))


def test_empty_serial_asks_for_one(binzhou, me):
    page = binzhou.get(PROGRESS + "?serial=+")
    assert page.status_code == 200
    assert '<p class="field-error" id="serial-error">Enter the business serial number.</p>' in text(
        page
    )
    assert 'aria-describedby="serial-error"' in page.get_data(as_text=True)


def test_spaces_around_a_serial_are_forgiven(binzhou, me, in_db):
    in_db(lambda: business_case("binzhou", 1, person=person_of(me)))
    body = text(binzhou.get(PROGRESS, query_string={"serial": f"  {serial_of(1)} "}))
    assert f"Business {serial_of(1)}" in body


@pytest.fixture
def others(in_db, make_resident):
    """A case of another Binzhou person (serial 2) and one of a Dezhou person (serial 3)."""
    neighbour = make_resident("binzhou", 5)

    def cases():
        business_case("binzhou", 2, person=db.session.get(Person, neighbour.id))
        business_case("dezhou", 3)

    in_db(cases)


NOT_MINE = {
    "another person's": serial_of(2),
    "another city's": serial_of(3),
    "unknown": "2026030299999999",
    "malformed": "2026-0302-ABC",
    "too short": "123",
    "too long": "1" * 21,
    "10,000 characters": "9" * 10_000,
    "sql": "' OR '1'='1' --",
    "sql union": f"{serial_of(2)}' UNION SELECT serial FROM business_case --",
    "html": "<script>alert(1)</script>",
    "unicode digits": "２０２６０３０２００００００２",
}


@pytest.mark.parametrize("serial", NOT_MINE.values(), ids=NOT_MINE.keys())
def test_anything_but_my_own_serial_reads_exactly_not_found(binzhou, me, others, serial):
    page = binzhou.get(PROGRESS, query_string={"serial": serial})
    assert page.status_code == 200
    assert form_errors(page) == [NOT_FOUND]
    main = main_part(page)
    assert "case-heading" not in main and "step step--" not in main and "测试经办机构" not in main
    assert "You have no business on record at the service centre." in main
    assert "<script>alert(1)</script>" not in page.get_data(as_text=True)
    assert "9" * 100 not in main  # a huge input is not echoed back


def test_not_found_is_the_same_page_for_another_persons_serial_and_an_unknown_one(
    binzhou, me, others
):
    """Apart from the echoed input, the two answers are identical."""
    theirs = main_part(binzhou.get(PROGRESS, query_string={"serial": serial_of(2)}))
    unknown = main_part(binzhou.get(PROGRESS, query_string={"serial": "2026030200000077"}))
    assert theirs.replace(serial_of(2), "X") == unknown.replace("2026030200000077", "X")


# --- demo data ----------------------------------------------------------------------------


def test_demo_data_gives_the_demo_employee_cases_and_is_deterministic(app, city_of):
    from shebao.modules.personal_info.demo import demo_employee_serials
    from shebao.modules.personal_info.models import BusinessCase, BusinessStep
    from shebao.people.demo import DEMO_PEOPLE, demo_id_number
    from shebao.seeding import seed_city

    binzhou, dezhou = city_of("binzhou"), city_of("dezhou")

    def snapshot():
        rows = db.session.execute(
            select(
                Person.id_number,
                BusinessCase.serial,
                BusinessCase.kind,
                BusinessCase.status,
                BusinessCase.submitted_at,
            )
            .join(Person, Person.id == BusinessCase.person_id)
            .order_by(BusinessCase.serial)
        ).all()
        return [tuple(row) for row in rows]

    with app.app_context():
        seed_city(binzhou, persons=60, seed=7)
        seed_city(dezhou, persons=10, seed=7)
        first = snapshot()
        employee = demo_id_number(binzhou, next(p for p in DEMO_PEOPLE if p.category == "employee"))
        serials = demo_employee_serials(binzhou)
        assert serials == ["2026110337160001", "2025061837160002"]
        assert [row[1] for row in first if row[0] == employee] == sorted(serials)
        cases = db.session.scalars(select(BusinessCase)).all()
        assert {case.city for case in cases} == {"binzhou"}  # Dezhou offers no business progress
        assert len({case.person_id for case in cases}) >= 10
        assert {case.status for case in cases} >= {"in_progress", "completed"}
        for case in cases:
            assert len(case.serial) == 16 and case.serial.isdigit()
            steps = sorted(case.steps, key=lambda step: step.position)
            assert 2 <= len(steps) <= 5
            assert [step.position for step in steps] == list(range(1, len(steps) + 1))
            done = [step.completed_at for step in steps if step.completed_at]
            assert done == sorted(done) and done and done[0] == case.submitted_at
            if case.status == "completed":
                assert len(done) == len(steps)
            if case.status == "in_progress":
                assert len(done) < len(steps)
        assert db.session.scalar(select(BusinessStep.city).distinct()) == "binzhou"
        seed_city(binzhou, persons=60, seed=7)
        assert snapshot() == first


def test_demo_employee_can_follow_the_demo_serial(app, binzhou, city_of):
    from shebao.people.demo import DEMO_PASSWORD, DEMO_PEOPLE, demo_id_number
    from shebao.seeding import seed_city

    with app.app_context():
        seed_city(city_of("binzhou"), persons=5, seed=2026)
    employee = next(p for p in DEMO_PEOPLE if p.category == "employee")
    assert (
        binzhou.login(demo_id_number(city_of("binzhou"), employee), DEMO_PASSWORD).status_code
        == 302
    )
    body = text(binzhou.get(PROGRESS + "?lang=en&serial=2026110337160001"))
    assert "Transfer of pension insurance" in body and 'aria-current="step"' in body
    assert "2025061837160002" in body  # listed among the recent cases
