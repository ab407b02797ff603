"""`shebao import --kind cards`: cards from CSV, all-or-nothing, line-numbered problems,
re-import updates."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from shebao.core.extensions import db
from shebao.core.importing import ImportProblems, import_file
from shebao.modules.card.importer import CARDS
from shebao.modules.card.models import Card
from shebao.people.models import Person

HEADER = ["id_number", "card_number", "bank", "status", "issue_date", "valid_until"]


@pytest.fixture
def write_csv(tmp_path):
    count = 0

    def write(rows: list[dict], header: list[str] = HEADER, bom: bool = False) -> Path:
        nonlocal count
        count += 1
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
        path = tmp_path / f"cards-{count}.csv"
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8"))
        return path

    return write


@pytest.fixture
def run_import(app):
    def run(code: str, path: Path):
        with app.app_context():
            return import_file(CARDS, code, path)

    return run


def problems_of(run_import, code: str, path: Path) -> list[str]:
    with pytest.raises(ImportProblems) as caught:
        run_import(code, path)
    return caught.value.problems


def cards_of(app, code: str) -> dict[str, tuple]:
    with app.app_context():
        rows = db.session.execute(
            select(
                Person.id_number,
                Card.card_number,
                Card.bank,
                Card.status,
                Card.issued_on,
                Card.valid_until,
                Person.card_number,
            )
            .join(Person, Person.id == Card.person_id)
            .where(Card.city == code)
        ).all()
        return {row[0]: tuple(row[1:]) for row in rows}


def row(id_number: str, card_number: str = "B12345678", **values) -> dict:
    return {
        "id_number": id_number,
        "card_number": card_number,
        "bank": "中国银行",
        "status": "normal",
        "issue_date": "2021-04-01",
        "valid_until": "2031-04-01",
        **values,
    }


def test_a_good_file_loads_cards_and_a_reimport_updates_them(
    app, make_resident, write_csv, run_import
):
    one = make_resident("binzhou", 31, account=False)
    two = make_resident("binzhou", 32, account=False)
    result = run_import(
        "binzhou",
        write_csv(
            [
                row(one.id_number, "b12345678"),
                row(
                    two.id_number.lower(),
                    "C00000032",
                    status="制卡中",
                    issue_date="",
                    valid_until="",
                ),
            ],
            bom=True,
        ),
    )
    assert (result.inserted, result.updated) == (2, 0)
    cards = cards_of(app, "binzhou")
    assert cards[one.id_number] == (
        "B12345678",
        "中国银行",
        "normal",
        date(2021, 4, 1),
        date(2031, 4, 1),
        "B12345678",
    )
    assert cards[two.id_number][:5] == ("C00000032", "中国银行", "in_production", None, None)

    again = run_import(
        "binzhou",
        write_csv([row(one.id_number, "D87654321", status="reported_lost", bank="中国工商银行")]),
    )
    assert (again.inserted, again.updated) == (0, 1)
    cards = cards_of(app, "binzhou")
    assert len(cards) == 2
    # the person's card number (used to register by card) follows the card
    assert cards[one.id_number] == (
        "D87654321",
        "中国工商银行",
        "reported_lost",
        date(2021, 4, 1),
        date(2031, 4, 1),
        "D87654321",
    )


def test_optional_date_columns_may_be_left_out(app, make_resident, write_csv, run_import):
    one = make_resident("dezhou", 33, account=False)
    result = run_import(
        "dezhou",
        write_csv(
            [
                {
                    "id_number": one.id_number,
                    "card_number": "E00000033",
                    "bank": "德州银行",
                    "status": "已申领",
                }
            ],
            header=["id_number", "card_number", "bank", "status"],
        ),
    )
    assert result.inserted == 1
    assert cards_of(app, "dezhou")[one.id_number][:3] == ("E00000033", "德州银行", "applied")


def test_bad_rows_are_reported_by_line_and_nothing_is_loaded(
    app, make_resident, write_csv, run_import
):
    one = make_resident("binzhou", 34, account=False)
    two = make_resident("binzhou", 35, account=False)
    elsewhere = make_resident("dezhou", 36, account=False)
    path = write_csv(
        [
            row(one.id_number, "F00000034"),  # 2: good
            row("371602198001011234"),  # 3: check digit
            row(two.id_number, "F-1"),  # 4: card number
            row(two.id_number, "F00000035", status="lost"),  # 5: status
            row(two.id_number, "F00000035", issue_date="2021-02-30"),  # 6: date
            row(
                two.id_number, "F00000035", issue_date="", status="normal"
            ),  # 7: issued without date
            row(two.id_number, "F00000035", valid_until="2020-01-01"),  # 8: before issue
            row(one.id_number, "F00000099"),  # 9: person twice
            row(elsewhere.id_number, "F00000036"),  # 10: person of another city
            row(two.id_number, "F00000034"),  # 11: card number twice
            row(two.id_number, "F00000035", bank=""),  # 12: bank
        ]
    )
    problems = problems_of(run_import, "binzhou", path)
    assert problems == [
        "3: id_number: check digit does not match",
        "4: card_number: must be 6 to 32 letters or digits",
        "5: status: must be one of applied, in_production, awaiting_collection, normal, "
        "reported_lost, cancelled",
        "6: issue_date: '2021-02-30' is not a date in the form YYYY-MM-DD",
        "7: issue_date: required for a card with status normal",
        "8: valid_until: must be after issue_date",
        "9: id_number: already given on line 2",
        "10: id_number: no insured person with this ID number in binzhou",
        "11: card_number: already given on line 2",
        "12: bank: must be 1 to 64 characters",
    ]
    assert cards_of(app, "binzhou") == {}


def test_a_card_number_of_another_person_is_refused(app, make_resident, write_csv, run_import):
    one = make_resident("binzhou", 37, account=False)
    two = make_resident("binzhou", 38, account=False)
    run_import("binzhou", write_csv([row(one.id_number, "G00000037")]))
    problems = problems_of(run_import, "binzhou", write_csv([row(two.id_number, "G00000037")]))
    assert problems == ["2: card_number: already the card of another person in binzhou"]


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"", "1: the file is empty (expected a header row and data rows)"),
        (b"id_number,card_number,bank\r\n", "1: missing column 'status'"),
        (b"id_number,card_number,bank,status,colour\r\n", "1: unknown column 'colour'"),
        (b"id_number,card_number,bank,status\r\n", "2: the file holds no rows"),
        (b"id_number,card_number,bank,status\r\n1,2,3,4,5\r\n", "2: more fields than columns"),
        (
            "id_number,card_number,bank,status\r\n1,2,\xff\r\n".encode("latin-1"),
            "2: the file is not UTF-8 text",
        ),
    ],
)
def test_broken_files_are_refused(app, tmp_path, run_import, content, problem):
    path = tmp_path / "cards.csv"
    path.write_bytes(content)
    assert problem in problems_of(run_import, "binzhou", path)


def test_the_import_command_knows_cards_and_benefits(app, make_resident, write_csv):
    one = make_resident("binzhou", 39, account=False)
    runner = app.test_cli_runner()
    done = runner.invoke(
        args=[
            "import",
            "--city",
            "binzhou",
            "--kind",
            "cards",
            str(write_csv([row(one.id_number, "H00000039")])),
        ]
    )
    assert done.exit_code == 0, done.output
    assert "binzhou: 1 added, 0 updated" in done.output
    refused = runner.invoke(
        args=[
            "import",
            "--city",
            "binzhou",
            "--kind",
            "cards",
            str(write_csv([row(one.id_number, "bad!")])),
        ]
    )
    assert refused.exit_code == 1
    assert "2: card_number: must be 6 to 32 letters or digits" in refused.output
    assert "nothing was imported" in refused.output
    assert "benefits" in runner.invoke(args=["import", "--help"]).output
