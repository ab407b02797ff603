"""劳动关系 / 劳动用工备案 (Binzhou): the person's own filings, newest first, paged; bad page
numbers get a message, never a 500; demo data and the labour_filings importer."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from shebao.core.extensions import db
from shebao.core.importing import ImportProblems, import_file
from shebao.modules.labour.credit_code import is_valid_credit_code, make_credit_code
from shebao.modules.labour.importer import LABOUR_FILINGS
from shebao.modules.labour.models import LabourFiling
from shebao.people.models import Person
from tests.factories_personal_info import labour_filing

FILINGS = "/labour/filings"
FORM_ERROR = re.compile(r'<div class="form-error" role="alert"><p>(.*?)</p></div>', re.S)
ROW = re.compile(r'<tr>\s*<th scope="row">([^<]+)</th>((?:\s*<td>[^<]*</td>)+)\s*</tr>')


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def table_rows(response) -> list[list[str]]:
    return [
        [employer, *re.findall(r"<td>([^<]*)</td>", cells)]
        for employer, cells in ROW.findall(text(response))
    ]


def form_errors(response) -> list[str]:
    return [html.unescape(found) for found in FORM_ERROR.findall(response.get_data(as_text=True))]


@pytest.fixture
def me(binzhou, make_resident):
    resident = make_resident("binzhou", 1)
    assert binzhou.login(resident.id_number, resident.password).status_code == 302
    binzhou.get("/?lang=en")
    return resident


def add_filings(app, person_id: int, count: int, city: str = "binzhou", first_seq: int = 1) -> None:
    with app.app_context():
        person = db.session.get(Person, person_id)
        for seq in range(first_seq, first_seq + count):
            labour_filing(
                city, seq, person=person, start_date=date(2000, 1, 1) + timedelta(days=100 * seq)
            )
        db.session.commit()


def test_filings_newest_first_with_labels(binzhou, me, app):
    with app.app_context():
        person = db.session.get(Person, me.id)
        labour_filing(
            "binzhou",
            1,
            person=person,
            employer="滨州旧单位",
            start_date=date(2015, 3, 1),
            end_date=date(2018, 2, 28),
            filing_date=date(2015, 3, 20),
            status="expired",
        )
        labour_filing(
            "binzhou",
            2,
            person=person,
            employer="滨州新单位",
            contract_type="open_ended",
            start_date=date(2021, 6, 1),
            end_date=None,
            filing_date=date(2021, 6, 15),
            status="valid",
            credit_code=make_credit_code("371600", 42),
        )
        db.session.commit()
    page = binzhou.get(FILINGS)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    body = text(page)
    assert "<h1>Labour contract filings</h1>" in body  # Binzhou's own (en) label
    assert "<caption>" in body and '<div class="table-wrap">' in body
    assert table_rows(page) == [
        [
            "滨州新单位",
            make_credit_code("371600", 42),
            "Open-ended",
            "Jun 1, 2021",
            "No fixed end",
            "Jun 15, 2021",
            "Valid",
        ],
        [
            "滨州旧单位",
            make_credit_code("371600", 1),
            "Fixed-term",
            "Mar 1, 2015",
            "Feb 28, 2018",
            "Mar 20, 2015",
            "Expired",
        ],
    ]
    assert "Next page" not in body
    chinese = binzhou.get(FILINGS + "?lang=zh_CN").get_data(as_text=True)
    assert "<h1>劳动用工备案信息</h1>" in chinese


def test_no_filings_says_so(binzhou, me):
    page = binzhou.get(FILINGS)
    assert page.status_code == 200
    assert "You have no labour contract filings on record." in text(page)
    assert "<table" not in text(page)


def test_paging_with_next_and_previous(binzhou, me, app):
    add_filings(app, me.id, 23)
    first = binzhou.get(FILINGS)
    assert len(table_rows(first)) == 10
    assert 'rel="next" href="?page=2"' in first.get_data(as_text=True)
    assert "Previous page" not in text(first) and "Page 1 of 3" in text(first)
    last = binzhou.get(FILINGS + "?page=3")
    rows = table_rows(last)
    assert (
        len(rows) == 3
        and "Next page" not in text(last)
        and 'rel="prev" href="?page=2"' in text(last)
    )
    starts = [  # Babel's English days ("Jan 24, 2023"), read back as dates to compare
        datetime.strptime(row[4], "%b %d, %Y").date()
        for page in (1, 2, 3)
        for row in table_rows(binzhou.get(f"{FILINGS}?page={page}"))
    ]
    assert starts == sorted(starts, reverse=True) and len(set(starts)) == 23


@pytest.mark.parametrize(
    "page, message",
    [
        ("4", "There is no page 4; the last page is 3."),
        ("0", "The page number must be a whole number from 1 up."),
        ("-1", "The page number must be a whole number from 1 up."),
        ("abc", "The page number must be a whole number from 1 up."),
        ("1 OR 1=1", "The page number must be a whole number from 1 up."),
        ("<b>2</b>", "The page number must be a whole number from 1 up."),
        ("9" * 10_000, "The page number must be a whole number from 1 up."),
        ("99999999999999999999", "There is no page 99999999999999999999; the last page is 3."),
    ],
)
def test_bad_page_numbers_get_a_message_not_a_500(binzhou, me, app, page, message):
    add_filings(app, me.id, 23)
    response = binzhou.get(FILINGS, query_string={"page": page})
    assert response.status_code == 200
    assert form_errors(response) == [message]
    assert table_rows(response) == []
    assert 'href="?">Show the first page</a>' in response.get_data(as_text=True)


def test_only_my_own_filings_in_my_own_city(binzhou, me, app, make_resident):
    neighbour = make_resident("binzhou", 2, account=False)
    stranger = make_resident("dezhou", 3, account=False)
    add_filings(app, me.id, 2)
    add_filings(app, neighbour.id, 3, first_seq=10)
    add_filings(app, stranger.id, 3, city="dezhou", first_seq=20)
    employers = [row[0] for row in table_rows(binzhou.get(FILINGS))]
    assert sorted(employers) == ["测试用人单位1", "测试用人单位2"]


# --- demo data ----------------------------------------------------------------------------


def test_demo_filings_for_employees_with_one_valid_current_contract(app, city_of):
    from shebao.people.demo import DEMO_PEOPLE, demo_id_number
    from shebao.seeding import seed_city

    def snapshot():
        return sorted(
            tuple(row)
            for row in db.session.execute(
                select(
                    Person.id_number,
                    LabourFiling.employer,
                    LabourFiling.start_date,
                    LabourFiling.end_date,
                    LabourFiling.contract_type,
                    LabourFiling.status,
                    LabourFiling.credit_code,
                ).join(Person, Person.id == LabourFiling.person_id)
            ).all()
        )

    with app.app_context():
        seed_city(city_of("binzhou"), persons=40, seed=3)
        seed_city(city_of("dezhou"), persons=5, seed=3)
        first = snapshot()
        people = db.session.scalars(select(Person).where(Person.city == "binzhou")).all()
        filings = db.session.scalars(select(LabourFiling)).all()
        assert {filing.city for filing in filings} == {"binzhou"}  # Dezhou has no labour module
        by_person: dict[int, list[LabourFiling]] = {}
        for filing in filings:
            by_person.setdefault(filing.person_id, []).append(filing)
        for person in people:
            own = sorted(by_person.get(person.id, []), key=lambda f: f.start_date)
            if person.category != "employee":
                assert own == []
                continue
            assert 1 <= len(own) <= 4
            assert [f.status for f in own].count("valid") == 1 and own[-1].status == "valid"
            assert own[-1].employer == person.employer
            assert own[-1].end_date is None or own[-1].end_date > date(2026, 11, 20)
            for earlier, later in zip(own, own[1:], strict=False):
                assert earlier.end_date is not None and earlier.end_date < later.start_date
            assert all(is_valid_credit_code(f.credit_code) for f in own)
            assert all(f.filing_date >= f.start_date for f in own)
        employee = demo_id_number(
            city_of("binzhou"), next(p for p in DEMO_PEOPLE if p.category == "employee")
        )
        assert any(row[0] == employee for row in first)
        seed_city(city_of("binzhou"), persons=40, seed=3)
        assert snapshot() == first


# --- import -------------------------------------------------------------------------------

HEADER = [
    "id_number",
    "employer",
    "credit_code",
    "contract_type",
    "start_date",
    "end_date",
    "filing_date",
    "status",
]
CODE_A, CODE_B = make_credit_code("371600", 1001), make_credit_code("371600", 1002)


def write(tmp_path: Path, rows: list[dict], name: str = "filings.csv") -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / name
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def filing(
    id_number,
    employer="滨州甲公司",
    code=CODE_A,
    kind="fixed_term",
    start="2019-03-01",
    end="2022-02-28",
    filed="2019-03-10",
    status="expired",
) -> dict:
    return {
        "id_number": id_number,
        "employer": employer,
        "credit_code": code,
        "contract_type": kind,
        "start_date": start,
        "end_date": end,
        "filing_date": filed,
        "status": status,
    }


def stored(app) -> list[tuple]:
    with app.app_context():
        return sorted(
            tuple(row)
            for row in db.session.execute(
                select(
                    LabourFiling.city,
                    LabourFiling.person_id,
                    LabourFiling.employer,
                    LabourFiling.contract_type,
                    LabourFiling.start_date,
                    LabourFiling.end_date,
                    LabourFiling.status,
                )
            ).all()
        )


def test_import_loads_and_a_re_import_updates(app, city_of, make_resident, tmp_path):
    zhang = make_resident("binzhou", 1, account=False)
    rows = [
        filing(zhang.id_number),
        filing(
            zhang.id_number,
            "滨州乙公司",
            CODE_B.lower(),
            "无固定期限",
            "2022-04-01",
            "",
            "2022-04-20",
            "有效",
        ),
    ]
    with app.app_context():
        result = import_file(LABOUR_FILINGS, city_of("binzhou").code, write(tmp_path, rows))
    assert (result.inserted, result.updated) == (2, 0)
    assert stored(app) == [
        ("binzhou", zhang.id, "滨州乙公司", "open_ended", date(2022, 4, 1), None, "valid"),
        (
            "binzhou",
            zhang.id,
            "滨州甲公司",
            "fixed_term",
            date(2019, 3, 1),
            date(2022, 2, 28),
            "expired",
        ),
    ]
    changed = [filing(zhang.id_number, end="2021-12-31", status="terminated")]
    with app.app_context():
        result = import_file(
            LABOUR_FILINGS, city_of("binzhou").code, write(tmp_path, changed, "again.csv")
        )
    assert (result.inserted, result.updated) == (0, 1)
    assert stored(app)[1] == (
        "binzhou",
        zhang.id,
        "滨州甲公司",
        "fixed_term",
        date(2019, 3, 1),
        date(2021, 12, 31),
        "terminated",
    )
    assert len(stored(app)) == 2


def test_import_reports_bad_rows_by_line_and_loads_nothing(app, city_of, make_resident, tmp_path):
    zhang = make_resident("binzhou", 1, account=False)
    other = make_resident("dezhou", 2, account=False)
    n = zhang.id_number
    rows = [
        filing(n),  # 2: fine
        filing(n, code="91371600000000000X"),  # 3
        filing(n, kind="seasonal"),  # 4
        filing(n, start="2019-02-30"),  # 5
        filing(n, employer="丙公司", end=""),  # 6
        filing(n, employer="丁公司", kind="open_ended"),  # 7
        filing(n, employer="戊公司", end="2018-01-01"),  # 8
        filing(n, employer="己公司", status="ok"),  # 9
        filing(other.id_number, employer="庚公司"),  # 10
        filing(n),  # 11: same key as line 2
        filing(n, employer=""),  # 12
        filing("12345", employer="辛公司"),  # 13
    ]
    with pytest.raises(ImportProblems) as raised:
        with app.app_context():
            import_file(LABOUR_FILINGS, city_of("binzhou").code, write(tmp_path, rows))
    assert raised.value.problems == [
        "3: credit_code: must be a unified social credit code "
        "(18 characters, the last a valid check character)",
        "4: contract_type: must be one of fixed_term, open_ended, task_based, dispatch",
        "5: start_date: '2019-02-30' is not a date in the form YYYY-MM-DD",
        "6: end_date: is required for a fixed_term contract",
        "7: end_date: must be empty for an open_ended contract",
        "8: end_date: is before start_date",
        "9: status: must be one of valid, terminated, expired",
        "10: id_number: no insured person with this ID number in binzhou",
        "11: the same person, employer and start_date are already on line 2",
        "12: employer: is required",
        "13: id_number: must be 18 characters",
    ]
    assert stored(app) == []


def test_the_shebao_import_command_knows_the_kind(app, make_resident, tmp_path):
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from shebao.cli import cli

    zhang = make_resident("binzhou", 1, account=False)
    path = write(tmp_path, [filing(zhang.id_number)])
    result = CliRunner().invoke(
        cli,
        ["import", "--city", "binzhou", "--kind", "labour_filings", str(path)],
        obj=ScriptInfo(create_app=lambda: app),
    )
    assert result.exit_code == 0, result.output
    assert "binzhou: 1 added, 0 updated" in result.output
