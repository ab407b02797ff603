"""`shebao import --kind contributions`: CSV, all-or-nothing, line-numbered problems, and a
re-import updates the same (person, insurance type, month) instead of duplicating it."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from shebao.core.extensions import db
from shebao.core.importing import ImportProblems, engine, import_file
from shebao.core.importing.checking import RowChecker, check_row_by_model
from shebao.modules.contributions.importer import CONTRIBUTIONS, ContributionRow
from shebao.modules.contributions.models import Contribution

HEADER = [
    "id_number",
    "insurance_type",
    "period",
    "base",
    "individual",
    "employer",
    "status",
    "payer",
]


@pytest.fixture
def people(make_resident):
    """Two Binzhou residents (and a Dezhou one under another number), by name."""
    return {
        "me": make_resident("binzhou", 1, account=False),
        "other": make_resident("binzhou", 2, account=False),
        "dezhou_only": make_resident("dezhou", 3, account=False),
    }


@pytest.fixture
def write_csv(tmp_path):
    count = 0

    def write(rows: list[list[str]], header=HEADER, encoding="utf-8", bom=False) -> Path:
        nonlocal count
        count += 1
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        path = tmp_path / f"contributions-{count}.csv"
        path.write_bytes((("\ufeff" if bom else "") + buffer.getvalue()).encode(encoding))
        return path

    return write


@pytest.fixture
def run_import(app):
    def run(code: str, path: Path):
        with app.app_context():
            return import_file(CONTRIBUTIONS, code, path)

    return run


def problems_of(run_import, code: str, path: Path) -> list[str]:
    with pytest.raises(ImportProblems) as caught:
        run_import(code, path)
    return caught.value.problems


def stored(app) -> list[tuple]:
    with app.app_context():
        return [
            (
                row.city,
                row.person_id,
                row.insurance_type,
                row.period,
                row.base,
                row.individual,
                row.employer,
                row.status,
                row.payer,
            )
            for row in db.session.scalars(select(Contribution).order_by(Contribution.id))
        ]


def good_rows(people) -> list[list[str]]:
    me, other = people["me"].id_number, people["other"].id_number
    return [
        [me, "pension", "2024-01", "5000", "400", "800", "paid", "测试单位"],
        [me, "pension", "2024-02", "5000.00", "400.00", "800.00", "arrears", "测试单位"],
        [other.lower(), "resident_medical", "2024-01", "400", "400", "670.5", "paid", "个人缴费"],
    ]


@pytest.mark.parametrize("bom", [False, True])
def test_a_good_file_is_loaded(app, people, write_csv, run_import, bom):
    result = run_import("binzhou", write_csv(good_rows(people), bom=bom))
    assert (result.inserted, result.updated) == (3, 0)
    me, other = people["me"].id, people["other"].id
    assert stored(app) == [
        (
            "binzhou",
            me,
            "pension",
            date(2024, 1, 1),
            Decimal("5000.00"),
            Decimal("400.00"),
            Decimal("800.00"),
            "paid",
            "测试单位",
        ),
        (
            "binzhou",
            me,
            "pension",
            date(2024, 2, 1),
            Decimal("5000.00"),
            Decimal("400.00"),
            Decimal("800.00"),
            "arrears",
            "测试单位",
        ),
        (
            "binzhou",
            other,
            "resident_medical",
            date(2024, 1, 1),
            Decimal("400.00"),
            Decimal("400.00"),
            Decimal("670.50"),
            "paid",
            "个人缴费",
        ),
    ]


def test_imported_rows_show_on_the_page(app, binzhou, people, write_csv, run_import, make_resident):
    mine = make_resident("binzhou", 4)
    run_import(
        "binzhou",
        write_csv(
            [[mine.id_number, "medical", "2023-07", "4100", "82", "287", "paid", "滨州某公司"]]
        ),
    )
    binzhou.login(mine.id_number, mine.password)
    html = binzhou.get("/contributions/medical?lang=en").get_data(as_text=True)
    assert "Jul 2023" in html and "4,100.00" in html and "287.00" in html and "滨州某公司" in html


def test_a_reimport_updates_the_same_month_instead_of_duplicating(
    app, people, write_csv, run_import
):
    run_import("binzhou", write_csv(good_rows(people)))
    me = people["me"].id_number
    again = [
        [me, "pension", "2024-02", "5000", "400", "800", "paid", "测试单位"],  # arrears now paid
        [me, "pension", "2024-03", "5200", "416", "832", "paid", "测试单位"],  # a new month
    ]
    result = run_import("binzhou", write_csv(again))
    assert (result.inserted, result.updated) == (1, 1)
    rows = stored(app)
    assert len(rows) == 4
    assert [(row[3].month, row[7]) for row in rows if row[2] == "pension"] == [
        (1, "paid"),
        (2, "paid"),
        (3, "paid"),
    ]


def test_every_problem_is_reported_with_its_line_and_nothing_is_loaded(
    app, people, write_csv, run_import
):
    me, stranger = people["me"].id_number, people["dezhou_only"].id_number
    rows = good_rows(people) + [
        ["37160219800101001", "pension", "2024-01", "1", "1", "1", "paid", "x"],  # 5: short ID
        [me, "pensions", "2024-03", "1", "1", "1", "paid", "x"],  # 6
        [me, "pension", "2024-13", "1", "1", "1", "paid", "x"],  # 7
        [me, "pension", "202404", "1", "1", "1", "paid", "x"],  # 8
        [me, "pension", "2024-05", "12.345", "1", "1", "paid", "x"],  # 9
        [me, "pension", "2024-06", "1", "-1", "1", "paid", "x"],  # 10
        [me, "pension", "2024-07", "1", "1", "1e3", "paid", "x"],  # 11
        [me, "pension", "2024-08", "1", "1", "1", "owed", "x"],  # 12
        [me, "pension", "2024-09", "1", "1", "1", "paid", ""],  # 13
        [me, "pension", "2024-01", "1", "1", "1", "paid", "x"],  # 14: same as line 2
        [stranger, "pension", "2024-01", "1", "1", "1", "paid", "x"],  # 15: only in Dezhou
        [me, "pension", "2024-10", "1", "1", "1", "paid", "<script>" * 20],  # 16: too long
    ]
    problems = problems_of(run_import, "binzhou", write_csv(rows))
    assert [problem.split(":", 2)[:2] for problem in problems] == [
        ["5", " id_number"],
        ["6", " insurance_type"],
        ["7", " period"],
        ["8", " period"],
        ["9", " base"],
        ["10", " individual"],
        ["11", " employer"],
        ["12", " status"],
        ["13", " payer"],
        ["14", " the same person, insurance_type and period are already on line 2"],
        ["15", " id_number"],
        ["16", " payer"],
    ]
    assert "15: id_number: no insured person with this ID number in binzhou" in problems[10]
    assert stranger not in " ".join(problems)  # the ID number itself is never echoed
    assert stored(app) == []


def test_header_problems(people, write_csv, run_import):
    header = [name for name in HEADER if name != "status"] + ["note"]
    problems = problems_of(run_import, "binzhou", write_csv([], header=header))
    assert problems == ["1: missing column 'status'", "1: unknown column 'note'"]


def test_empty_files_and_other_encodings(people, write_csv, run_import, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert problems_of(run_import, "binzhou", empty) == [
        "1: the file is empty (expected a header row and data rows)"
    ]
    assert problems_of(run_import, "binzhou", write_csv([])) == ["2: the file holds no rows"]
    gbk = write_csv(
        [[people["me"].id_number, "pension", "2024-01", "1", "1", "1", "paid", "个人缴费"]],
        encoding="gbk",
    )
    assert problems_of(run_import, "binzhou", gbk) == ["2: the file is not UTF-8 text"]
    extra = tmp_path / "extra.csv"
    extra.write_text(",".join(HEADER) + "\n" + ",".join(["a"] * 9) + "\n")
    assert problems_of(run_import, "binzhou", extra) == ["2: more fields than columns"]


def test_the_cli_imports_and_reports(app, people, write_csv):
    runner = app.test_cli_runner()
    good = write_csv(good_rows(people))
    result = runner.invoke(
        args=["import", "--city", "binzhou", "--kind", "contributions", str(good)]
    )
    assert result.exit_code == 0, result.output
    assert "binzhou: 3 added, 0 updated" in result.output
    bad = write_csv([[people["me"].id_number, "pension", "2024-13", "1", "1", "1", "paid", "x"]])
    result = runner.invoke(
        args=["import", "--city", "binzhou", "--kind", "contributions", str(bad)]
    )
    assert result.exit_code != 0
    assert f"{bad}:2: period: '2024-13' is not a month in the form YYYY-MM" in result.output
    assert "1 problem(s); nothing was imported." in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Contribution)) == 3


def test_reimporting_a_file_of_several_batches_doubles_nothing(
    app, people, write_csv, run_import, monkeypatch
):
    """Written batch after batch in one transaction; the same file again only updates."""
    monkeypatch.setattr(engine, "WRITE_BATCH", 2)
    me, other = people["me"].id_number, people["other"].id_number
    rows = [
        [person, "pension", f"2023-{month:02d}", "5000", "400", "800", "paid", "测试单位"]
        for person in (me, other)
        for month in range(1, 8)
    ]
    path = write_csv(rows)
    first = run_import("binzhou", path)
    once = stored(app)
    second = run_import("binzhou", path)
    assert (first.inserted, first.updated) == (14, 0)
    assert (second.inserted, second.updated) == (0, 14)
    assert len(once) == 14
    assert stored(app) == once


BAD_CELLS = [
    {},
    {"id_number": "37160219800101001"},
    {"id_number": ""},
    {"insurance_type": "养老"},
    {"period": "2024-13", "base": "-1", "individual": "1.234"},
    {"employer": "", "status": "unknown", "payer": ""},
    {"payer": "x" * 129},
]


@pytest.mark.parametrize("changes", BAD_CELLS)
def test_the_column_checker_reports_what_pydantic_reports(app, people, changes):
    """Each distinct text of a column is checked once, yet every row gets the problems (and
    the value) a full validation of its model gives."""
    cells = dict(
        zip(
            HEADER,
            [
                people["me"].id_number,
                "职工养老保险",
                "2024-01",
                "5000",
                "400",
                "800",
                "已缴费",
                "x",
            ],
            strict=True,
        )
    )
    cells |= changes
    checker = RowChecker(ContributionRow)
    for _ in range(2):  # the second time from what the checker remembers
        try:
            expected = check_row_by_model(ContributionRow, 7, cells)
        except ImportProblems as refused:
            with pytest.raises(ImportProblems) as caught:
                checker(7, cells)
            assert caught.value.problems == refused.problems
        else:
            assert checker(7, cells) == expected
            assert checker(7, cells).model_dump() == expected.model_dump()


def test_checking_a_whole_file_column_by_column_gives_each_rows_own_outcome(app, people):
    """``checked`` (the engine's pass over a file) agrees row by row with full validation."""
    good = dict(
        zip(
            HEADER,
            [
                people["me"].id_number,
                "职工养老保险",
                "2024-01",
                "5000",
                "400",
                "800",
                "已缴费",
                "x",
            ],
            strict=True,
        )
    )
    rows = [(line, good | changes) for line, changes in enumerate([{}, *BAD_CELLS, {}], start=2)]
    outcomes = list(RowChecker(ContributionRow).checked(rows))
    assert [line for line, _, _ in outcomes] == [line for line, _ in rows]
    for line, row, problems in outcomes:
        cells = dict(rows)[line]
        try:
            expected = check_row_by_model(ContributionRow, line, cells)
        except ImportProblems as refused:
            assert row is None
            assert [str(problem) for problem in problems] == refused.problems
        else:
            assert problems is None
            assert row.model_dump() == expected.model_dump()
