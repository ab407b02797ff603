"""``shebao import --kind business_cases``: one row per step, all-or-nothing, line-numbered
problems, and a re-import updates a serial instead of adding another."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from shebao.core.extensions import db
from shebao.core.importing import ImportProblems, import_file
from shebao.modules.personal_info.importer import BUSINESS_CASES
from shebao.modules.personal_info.models import BusinessCase, BusinessStep

HEADER = [
    "serial",
    "id_number",
    "kind",
    "submitted_at",
    "status",
    "step",
    "step_office",
    "step_completed_at",
]
SERIAL_A, SERIAL_B = "2025010612340001", "2025020712340002"


@pytest.fixture
def people(make_resident):
    return make_resident("binzhou", 1, account=False), make_resident("binzhou", 2, account=False)


def write(tmp_path: Path, rows: list[dict], header=HEADER, name="cases.csv") -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / name
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def step(
    serial,
    id_number,
    step_name,
    completed="",
    *,
    kind="pension_transfer",
    status="in_progress",
    submitted="2025-01-06 09:30",
    office="滨州市社会保险服务大厅",
) -> dict:
    return {
        "serial": serial,
        "id_number": id_number,
        "kind": kind,
        "submitted_at": submitted,
        "status": status,
        "step": step_name,
        "step_office": office,
        "step_completed_at": completed,
    }


def good_rows(zhang, li) -> list[dict]:
    return [
        step(SERIAL_A, zhang, "accept", "2025-01-06 09:30"),
        step(SERIAL_A, zhang, "review", "2025-01-08 15:00"),
        step(SERIAL_A, zhang, "recheck"),
        step(SERIAL_A, zhang, "complete"),
        step(
            SERIAL_B,
            li,
            "受理",
            "2025-02-07 10:00",
            kind="社保卡补换",
            status="已办结",
            submitted="2025-02-07 10:00",
        ),
        step(
            SERIAL_B,
            li,
            "制卡",
            "2025-02-14 11:00",
            kind="社保卡补换",
            status="已办结",
            submitted="2025-02-07 10:00",
        ),
    ]


def cases_in(app) -> dict[str, tuple]:
    with app.app_context():
        found = {}
        for case in db.session.scalars(select(BusinessCase)).all():
            found[case.serial] = (
                case.city,
                case.person_id,
                case.kind,
                case.status,
                case.submitted_at,
                [
                    (s.position, s.name, s.office, s.completed_at)
                    for s in sorted(case.steps, key=lambda s: s.position)
                ],
            )
        return found


def import_cases(app, city_of, path, city="binzhou"):
    with app.app_context():
        return import_file(BUSINESS_CASES, city_of(city).code, path)


def test_a_good_file_loads_cases_with_their_steps(app, city_of, people, tmp_path):
    zhang, li = people
    result = import_cases(app, city_of, write(tmp_path, good_rows(zhang.id_number, li.id_number)))
    assert (result.inserted, result.updated) == (2, 0)
    cases = cases_in(app)
    city, person, kind, status, submitted, steps = cases[SERIAL_A]
    assert (city, person, kind, status) == ("binzhou", zhang.id, "pension_transfer", "in_progress")
    assert submitted == datetime(2025, 1, 6, 1, 30, tzinfo=UTC)  # Beijing time → UTC
    assert [(pos, name, done is not None) for pos, name, _office, done in steps] == [
        (1, "accept", True),
        (2, "review", True),
        (3, "recheck", False),
        (4, "complete", False),
    ]
    assert cases[SERIAL_B][2:4] == ("card_replacement", "completed")  # Chinese terms accepted
    assert [s[1] for s in cases[SERIAL_B][5]] == ["accept", "make_card"]


def test_a_re_import_updates_the_serial_and_replaces_its_steps(app, city_of, people, tmp_path):
    zhang, li = people
    import_cases(app, city_of, write(tmp_path, good_rows(zhang.id_number, li.id_number)))
    done = [
        step(SERIAL_A, zhang.id_number, name, at, status="completed")
        for name, at in (
            ("accept", "2025-01-06 09:30"),
            ("review", "2025-01-08 15:00"),
            ("complete", "2025-01-09 10:00"),
        )
    ]
    result = import_cases(app, city_of, write(tmp_path, done, name="again.csv"))
    assert (result.inserted, result.updated) == (0, 1)
    cases = cases_in(app)
    assert len(cases) == 2
    assert cases[SERIAL_A][3] == "completed"
    assert [s[1] for s in cases[SERIAL_A][5]] == ["accept", "review", "complete"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BusinessStep)) == 5


def test_bad_rows_are_reported_by_line_and_nothing_is_loaded(app, city_of, people, tmp_path):
    zhang, li = people
    rows = good_rows(zhang.id_number, li.id_number) + [
        step("12AB", zhang.id_number, "accept", "2025-01-06 09:30"),  # line 8
        step("2025030112340003", "371602198001011234", "accept"),  # line 9
        step("2025030112340004", zhang.id_number, "accept", kind="holiday"),  # line 10
        step("2025030112340005", zhang.id_number, "accept", submitted="6 January 2025"),  # line 11
        step("2025030112340006", zhang.id_number, "accept", status="done"),  # line 12
        step("2025030112340007", zhang.id_number, "lunch"),  # line 13
        step(
            "2025030112340008", zhang.id_number, "accept", "2025-01-06 09:30", status="completed"
        ),  # 14
        step("2025030112340008", zhang.id_number, "complete", status="completed"),  # line 15
        step("2025030112340009", zhang.id_number, "accept"),  # line 16
        step("2025030112340009", zhang.id_number, "review", "2025-01-07 09:00"),  # line 17
        step("2025030112340010", zhang.id_number, "accept", "2025-01-06 09:30"),  # line 18
        step("2025030112340010", zhang.id_number, "review", kind="card_replacement"),  # line 19
        step(
            "2025030112340011", zhang.id_number, "accept", "2024-12-31 09:00", status="completed"
        ),  # 20
        step("2025030112340012", "110101199003074514", "accept"),  # line 21
        step("2025030112340013", zhang.id_number, "accept", "2099-01-01 09:00"),  # line 22
        step("", zhang.id_number, "accept"),  # line 23
    ]
    with pytest.raises(ImportProblems) as raised:
        import_cases(app, city_of, write(tmp_path, rows))
    problems = raised.value.problems
    assert problems == [
        "8: serial: must be 10 to 20 digits",
        "9: id_number: check digit does not match",
        "10: kind: must be one of pension_transfer, retirement_approval, card_replacement, "
        "unemployment_claim, medical_remote_filing",
        "11: submitted_at: '6 January 2025' is not a time in the form YYYY-MM-DD HH:MM",
        "12: status: must be one of in_progress, completed, returned",
        "13: step: must be one of accept, review, recheck, approve, make_card, complete",
        "15: status: completed, but a step of this serial has no step_completed_at",
        "17: step_completed_at: an earlier step of this serial is not completed",
        "19: kind: differs from line 18 of the same serial",
        "20: step_completed_at: is before submitted_at",
        "21: id_number: no insured person with this ID number in binzhou",
        "22: step_completed_at: '2099-01-01 09:00' is in the future",
        "23: serial: is required",
    ]
    assert cases_in(app) == {}


def test_an_in_progress_case_must_have_a_step_to_do(app, city_of, people, tmp_path):
    zhang, _ = people
    rows = [step(SERIAL_A, zhang.id_number, "accept", "2025-01-06 09:30")]
    with pytest.raises(ImportProblems) as raised:
        import_cases(app, city_of, write(tmp_path, rows))
    assert raised.value.problems == [
        "2: status: in_progress, but every step of this serial is completed"
    ]


def test_a_case_has_at_most_twenty_steps(app, city_of, people, tmp_path):
    zhang, _ = people
    rows = [step(SERIAL_A, zhang.id_number, "review") for _ in range(21)]
    with pytest.raises(ImportProblems) as raised:
        import_cases(app, city_of, write(tmp_path, rows))
    assert raised.value.problems == ["22: serial: a case has at most 20 steps"]


def test_persons_of_another_city_are_not_found(app, city_of, make_resident, tmp_path):
    theirs = make_resident("dezhou", 3, account=False)
    rows = [
        step(SERIAL_A, theirs.id_number, "accept", "2025-01-06 09:30"),
        step(SERIAL_A, theirs.id_number, "review"),
    ]
    with pytest.raises(ImportProblems) as raised:
        import_cases(app, city_of, write(tmp_path, rows))
    assert raised.value.problems == [
        "2: id_number: no insured person with this ID number in binzhou"
    ]
    assert (
        import_cases(app, city_of, write(tmp_path, rows, name="dezhou.csv"), city="dezhou").inserted
        == 1
    )
    assert {case[0] for case in cases_in(app).values()} == {"dezhou"}


@pytest.mark.parametrize(
    "content, problem",
    [
        ("", "1: the file is empty (expected a header row and data rows)"),
        ("serial,id_number,kind,submitted_at,status\n", "1: missing column 'step'"),
        (",".join(HEADER + ["colour"]) + "\n", "1: unknown column 'colour'"),
        (",".join(HEADER) + "\n", "2: the file holds no rows"),
    ],
)
def test_bad_files(app, city_of, tmp_path, content, problem):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportProblems) as raised:
        import_cases(app, city_of, path)
    assert problem in raised.value.problems


def test_not_utf8_is_refused(app, city_of, tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes((",".join(HEADER) + "\n").encode() + "受理".encode("gbk"))
    with pytest.raises(ImportProblems) as raised:
        import_cases(app, city_of, path)
    assert raised.value.problems == ["2: the file is not UTF-8 text"]


def test_the_shebao_import_command_knows_the_kind(app, people, tmp_path):
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from shebao.cli import cli

    zhang, li = people
    path = write(tmp_path, good_rows(zhang.id_number, li.id_number))
    result = CliRunner().invoke(
        cli,
        ["import", "--city", "binzhou", "--kind", "business_cases", str(path)],
        obj=ScriptInfo(create_app=lambda: app),
    )
    assert result.exit_code == 0, result.output
    assert "binzhou: 2 added, 0 updated" in result.output
