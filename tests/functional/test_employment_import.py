"""`shebao import --kind job_postings / job_seekers`: CSV keyed by `reference`, all-or-nothing."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from shebao.core.extensions import db
from shebao.core.importing import ImportProblems, import_file
from shebao.modules.employment.importer import JOB_POSTINGS, JOB_SEEKERS
from shebao.modules.employment.models import JobPosting, JobSeeker

POSTING_HEADER = [
    "reference",
    "employer",
    "title",
    "occupation",
    "district",
    "education",
    "salary_min",
    "salary_max",
    "headcount",
    "contact_phone",
    "published_on",
    "valid_until",
    "description",
]
SEEKER_HEADER = [
    "reference",
    "name",
    "sex",
    "birth_year",
    "desired_occupation",
    "district",
    "education",
    "expected_salary",
    "phone",
    "registered_on",
]


def posting_row(ref: str, **values: str) -> dict[str, str]:
    row = {
        "reference": ref,
        "employer": "滨州鑫源纺织有限公司",
        "title": "纺织挡车工",
        "occupation": "manufacturing",
        "district": "滨城区",
        "education": "junior_high",
        "salary_min": "4500",
        "salary_max": "6500.50",
        "headcount": "5",
        "contact_phone": "0543-3161234",
        "published_on": "2026-11-01",
        "valid_until": "2027-01-31",
        "description": "可适应倒班，提供食宿。",
    }
    row.update(values)
    return row


def seeker_row(ref: str, **values: str) -> dict[str, str]:
    row = {
        "reference": ref,
        "name": "王小明",
        "sex": "男",
        "birth_year": "1990",
        "desired_occupation": "logistics",
        "district": "惠民县",
        "education": "中专",
        "expected_salary": "5500",
        "phone": "13912345678",
        "registered_on": "2026-10-15",
    }
    row.update(values)
    return row


@pytest.fixture
def write_csv(tmp_path):
    count = 0

    def write(rows: list[dict], header: list[str], bom: bool = False) -> Path:
        nonlocal count
        count += 1
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        path = tmp_path / f"employment-{count}.csv"
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8"))
        return path

    return write


@pytest.fixture
def load(app):
    def run(kind: str, path: Path, city: str = "binzhou"):
        with app.app_context():
            return import_file(
                {"job_postings": JOB_POSTINGS, "job_seekers": JOB_SEEKERS}[kind], city, path
            )

    return run


def rows_of(app, model, city: str = "binzhou") -> dict[str, object]:
    with app.app_context():
        found = db.session.scalars(select(model).where(model.city == city)).all()
        db.session.expunge_all()
        return {row.reference: row for row in found}


def problems_of(load, kind: str, path: Path) -> list[str]:
    with pytest.raises(ImportProblems) as refusal:
        load(kind, path)
    return refusal.value.problems


# ---------------------------------------------------------------- postings


@pytest.mark.parametrize("bom", [False, True])
def test_a_good_postings_file_loads(app, load, write_csv, bom):
    path = write_csv(
        [
            posting_row("ZP001"),
            posting_row(
                "ZP002",
                title="会计",
                occupation="财务会计",
                education="本科",
                contact_phone="13800001111",
                description="",
            ),
        ],
        POSTING_HEADER,
        bom=bom,
    )
    result = load("job_postings", path)
    assert (result.inserted, result.updated) == (2, 0)
    rows = rows_of(app, JobPosting)
    first, second = rows["ZP001"], rows["ZP002"]
    assert first.salary_min == Decimal("4500.00") and first.salary_max == Decimal("6500.50")
    assert first.published_on == date(2026, 11, 1) and first.valid_until == date(2027, 1, 31)
    assert first.headcount == 5 and first.description == "可适应倒班，提供食宿。"
    assert (second.occupation, second.education) == (
        "finance",
        "bachelor",
    )  # Chinese names accepted
    assert second.description == ""


def test_the_description_column_may_be_left_out(app, load, write_csv):
    header = [name for name in POSTING_HEADER if name != "description"]
    assert load("job_postings", write_csv([posting_row("ZP001")], header)).inserted == 1


def test_amounts_are_rounded_half_up_to_the_fen(app, load, write_csv):
    load(
        "job_postings",
        write_csv(
            [posting_row("ZP001", salary_min="4500.005", salary_max="4500.015")], POSTING_HEADER
        ),
    )
    row = rows_of(app, JobPosting)["ZP001"]
    assert (row.salary_min, row.salary_max) == (Decimal("4500.01"), Decimal("4500.02"))


def test_reimport_updates_by_reference_and_does_not_duplicate(app, load, write_csv):
    load("job_postings", write_csv([posting_row("ZP001"), posting_row("ZP002")], POSTING_HEADER))
    result = load(
        "job_postings",
        write_csv(
            [posting_row("ZP001", title="高级挡车工", headcount="8"), posting_row("ZP003")],
            POSTING_HEADER,
        ),
    )
    assert (result.inserted, result.updated) == (1, 1)
    rows = rows_of(app, JobPosting)
    assert sorted(rows) == ["ZP001", "ZP002", "ZP003"]
    assert rows["ZP001"].title == "高级挡车工" and rows["ZP001"].headcount == 8


def test_the_same_reference_in_another_city_is_another_posting(app, load, write_csv):
    path = write_csv([posting_row("ZP001")], POSTING_HEADER)
    load("job_postings", path)
    load(
        "job_postings",
        write_csv([posting_row("ZP001", title="Linhu job")], POSTING_HEADER),
        city="linhu",
    )
    assert rows_of(app, JobPosting)["ZP001"].title == "纺织挡车工"
    assert rows_of(app, JobPosting, "linhu")["ZP001"].title == "Linhu job"


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"reference": ""}, "reference: must be 1 to 32 letters, digits, - or _"),
        ({"reference": "ZP 1"}, "reference: must be 1 to 32 letters, digits, - or _"),
        ({"employer": ""}, "employer: must not be empty"),
        ({"title": "岗" * 65}, "title: must be at most 64 characters"),
        ({"occupation": "astronaut"}, "occupation: must be one of manufacturing (生产制造)"),
        ({"education": "博士"}, "education: must be one of any (不限)"),
        ({"district": ""}, "district: must not be empty"),
        ({"salary_min": "abc"}, "salary_min: 'abc' is not an amount in yuan"),
        ({"salary_min": "-5"}, "salary_min: must be an amount from 0 to 1000000 yuan"),
        ({"salary_max": "NaN"}, "salary_max: must be an amount from 0 to 1000000 yuan"),
        (
            {"salary_min": "7000", "salary_max": "6000"},
            "salary_max: must not be lower than salary_min",
        ),
        ({"headcount": "0"}, "headcount: must be a whole number from 1 to 10000"),
        ({"headcount": "2.5"}, "headcount: must be a whole number from 1 to 10000"),
        (
            {"contact_phone": "12345"},
            "contact_phone: must be an 11-digit mobile number or a landline",
        ),
        (
            {"published_on": "2026/11/01"},
            "published_on: '2026/11/01' is not a date in the form YYYY-MM-DD",
        ),
        ({"valid_until": "2026-10-01"}, "valid_until: must not be before published_on"),
    ],
)
def test_a_bad_posting_row_loads_nothing_and_names_its_line(app, load, write_csv, values, problem):
    path = write_csv([posting_row("ZP001"), posting_row("ZP002", **values)], POSTING_HEADER)
    problems = problems_of(load, "job_postings", path)
    assert len(problems) == 1 and problems[0].startswith(f"3: {problem}"), problems
    assert rows_of(app, JobPosting) == {}


def test_every_bad_row_is_reported_and_a_duplicate_reference_is_refused(app, load, write_csv):
    path = write_csv(
        [
            posting_row("ZP001", headcount="x"),
            posting_row("ZP002"),
            posting_row("ZP002"),
            posting_row("ZP003", contact_phone=""),
        ],
        POSTING_HEADER,
    )
    problems = problems_of(load, "job_postings", path)
    assert [problem.split(":")[0] for problem in problems] == ["2", "4", "5"]
    assert "4: reference: already given on line 3" in problems
    assert rows_of(app, JobPosting) == {}


def test_a_failed_reimport_leaves_the_earlier_data_as_it_was(app, load, write_csv):
    load("job_postings", write_csv([posting_row("ZP001")], POSTING_HEADER))
    path = write_csv(
        [posting_row("ZP001", title="改过"), posting_row("ZP002", valid_until="never")],
        POSTING_HEADER,
    )
    problems_of(load, "job_postings", path)
    assert list(rows_of(app, JobPosting)) == ["ZP001"]
    assert rows_of(app, JobPosting)["ZP001"].title == "纺织挡车工"


def test_header_problems_are_reported_on_line_one(app, load, write_csv):
    header = [name for name in POSTING_HEADER if name != "title"] + ["salary"]
    problems = problems_of(load, "job_postings", write_csv([posting_row("ZP001")], header))
    assert problems == ["1: missing column 'title'", "1: unknown column 'salary'"]


def test_an_empty_file_or_a_header_alone_is_refused(app, load, write_csv, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert problems_of(load, "job_postings", empty) == [
        "1: the file is empty (expected a header row and data rows)"
    ]
    assert problems_of(load, "job_postings", write_csv([], POSTING_HEADER)) == [
        "2: the file holds no rows"
    ]


def test_a_file_that_is_not_utf8_is_refused(app, load, tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes(",".join(POSTING_HEADER).encode() + b"\n" + "滨州".encode("gbk") + b"\n")
    assert problems_of(load, "job_postings", path) == ["2: the file is not UTF-8 text"]


def test_a_row_with_too_many_fields_is_refused(app, load, tmp_path):
    path = tmp_path / "wide.csv"
    values = list(posting_row("ZP001").values())
    path.write_text(
        ",".join(POSTING_HEADER) + "\n" + ",".join(values + ["extra"]) + "\n", encoding="utf-8"
    )
    assert problems_of(load, "job_postings", path) == ["2: more fields than columns"]


# ---------------------------------------------------------------- seekers


def test_a_good_seekers_file_loads_and_reimport_updates(app, load, write_csv):
    result = load(
        "job_seekers",
        write_csv(
            [
                seeker_row("QZ001"),
                seeker_row("QZ002", sex="F", education="bachelor", desired_occupation="信息技术"),
            ],
            SEEKER_HEADER,
        ),
    )
    assert (result.inserted, result.updated) == (2, 0)
    rows = rows_of(app, JobSeeker)
    assert rows["QZ001"].sex == "M" and rows["QZ001"].education == "vocational"
    assert rows["QZ001"].expected_salary == Decimal("5500.00") and rows["QZ001"].birth_year == 1990
    assert rows["QZ002"].desired_occupation == "it" and rows["QZ002"].sex == "F"
    result = load(
        "job_seekers", write_csv([seeker_row("QZ001", phone="13700001111")], SEEKER_HEADER)
    )
    assert (result.inserted, result.updated) == (0, 1)
    rows = rows_of(app, JobSeeker)
    assert len(rows) == 2 and rows["QZ001"].phone == "13700001111"


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"name": ""}, "name: must not be empty"),
        ({"sex": "X"}, "sex: must be M, F, 男 or 女"),
        ({"birth_year": "1850"}, "birth_year: must be a whole number from 1930 to"),
        ({"birth_year": "19九0"}, "birth_year: must be a whole number from 1930 to"),
        ({"desired_occupation": ""}, "desired_occupation: must be one of"),
        ({"education": "不限"}, "education: must be one of junior_high (初中)"),
        ({"expected_salary": "5k"}, "expected_salary: '5k' is not an amount in yuan"),
        ({"phone": "0543-3161234"}, "phone: must be an 11-digit mobile number"),
        ({"registered_on": "2026-13-01"}, "registered_on: '2026-13-01' is not a date"),
    ],
)
def test_a_bad_seeker_row_loads_nothing(app, load, write_csv, values, problem):
    path = write_csv([seeker_row("QZ001"), seeker_row("QZ002", **values)], SEEKER_HEADER)
    problems = problems_of(load, "job_seekers", path)
    assert len(problems) == 1 and problems[0].startswith(f"3: {problem}"), problems
    assert rows_of(app, JobSeeker) == {}


# ---------------------------------------------------------------- the command


def test_the_import_command_offers_both_kinds(app, write_csv):
    runner = app.test_cli_runner()
    good = write_csv([posting_row("ZP001")], POSTING_HEADER)
    result = runner.invoke(
        args=["import", "--city", "binzhou", "--kind", "job_postings", str(good)]
    )
    assert result.exit_code == 0, result.output
    assert "binzhou: 1 added, 0 updated" in result.output
    bad = write_csv([seeker_row("QZ001", phone="1")], SEEKER_HEADER)
    result = runner.invoke(args=["import", "--city", "binzhou", "--kind", "job_seekers", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:2: phone: must be an 11-digit mobile number" in result.output
    assert "nothing was imported" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(JobSeeker)) == 0
