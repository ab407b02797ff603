"""What every `shebao import` kind shares, through the one engine: the file's shape (BOM,
header, no rows), every problem of a row at once, Chinese synonyms, one transaction, batches
and a progress bar for large files. The kinds' own rules are in test_<kind>_import.py."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from shebao.core.extensions import db
from shebao.core.importing import ImportKind, ImportProblems, engine, import_file
from shebao.people.idnumber import make_id_number, sex_of
from shebao.people.importer import PERSONS, PersonRow
from shebao.people.models import Person, PersonInsurance
from shebao.registry import import_kinds

BOM = b"\xef\xbb\xbf"
PERSON_HEADER = ["id_number", "name", "sex", "birth_date", "category"]


def person_lines(count: int) -> list[str]:
    """``count`` valid person rows (distinct ID numbers), in PERSON_HEADER order."""
    lines = []
    for n in range(count):
        birth = date(1950, 1, 1) + timedelta(days=n // 800)
        number = make_id_number("371602", birth, 100 + n % 800)
        lines.append(f"{number},测试{n},{sex_of(number)},{birth},employee")
    return lines


def write(path: Path, header: list[str], lines: list[str], bom: bool = False) -> Path:
    text = "\r\n".join([",".join(header), *lines]) + "\r\n"
    path.write_bytes((BOM if bom else b"") + text.encode("utf-8"))
    return path


@pytest.fixture
def load(app):
    def run(kind: ImportKind, path: Path, city: str = "binzhou"):
        with app.app_context():
            return import_file(kind, city, path)

    return run


def problems_of(load, kind: ImportKind, path: Path) -> list[str]:
    with pytest.raises(ImportProblems) as refusal:
        load(kind, path)
    return refusal.value.problems


def person_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Person))


# --- the file's shape, for every kind --------------------------------------------------------


@pytest.mark.parametrize("bom", [False, True], ids=["plain", "bom"])
@pytest.mark.parametrize("name", sorted(import_kinds()))
def test_every_kind_refuses_a_header_without_rows(app, load, tmp_path, name, bom):
    kind = import_kinds()[name]
    path = write(tmp_path / f"{name}.csv", kind.row.columns(), [], bom=bom)
    assert problems_of(load, kind, path) == ["2: the file holds no rows"]


@pytest.mark.parametrize("name", sorted(import_kinds()))
def test_every_kind_names_a_missing_and_a_repeated_column(app, load, tmp_path, name):
    kind = import_kinds()[name]
    required = kind.row.required_columns()
    header = [*required[1:], required[-1]]
    assert problems_of(load, kind, write(tmp_path / f"{name}.csv", header, [])) == [
        f"1: missing column {required[0]!r}",
        f"1: column {required[-1]!r} is given twice",
    ]


# --- rows -----------------------------------------------------------------------------------


def test_every_bad_cell_of_a_row_is_reported_at_once(app, load, tmp_path):
    number = make_id_number("371602", date(1985, 3, 12), 111)
    header = [*PERSON_HEADER, "phone", "first_insured", "pension"]
    line = f"{number},张伟,M,1985-03-12,boss,123,2005-02-30,paying"
    assert problems_of(load, PERSONS, write(tmp_path / "p.csv", header, [line])) == [
        "2: category: must be one of employee, retiree, flexible, resident",
        "2: phone: must be an 11-digit mobile number",
        "2: first_insured: '2005-02-30' is not a date in the form YYYY-MM-DD",
        "2: pension: must be one of active, suspended, terminated, not_insured",
    ]
    assert person_count(app) == 0


def test_every_rule_the_id_number_breaks_is_reported(app, load, tmp_path):
    number = make_id_number("371602", date(1985, 3, 12), 111)  # a man born 1985-03-12
    lines = [f"{number},张伟,女,1985-03-13,employee"]
    assert problems_of(load, PERSONS, write(tmp_path / "p.csv", PERSON_HEADER, lines)) == [
        "2: sex: does not match the ID number",
        "2: birth_date: does not match the ID number",
    ]


@pytest.mark.parametrize("text", ["19850312", "1985-3-12", "1985-03-12T00:00", " "])
def test_a_date_is_written_yyyy_mm_dd_and_nothing_else(app, load, tmp_path, text):
    number = make_id_number("371602", date(1985, 3, 12), 111)
    line = f"{number},张伟,M,{text},employee"
    problems = problems_of(load, PERSONS, write(tmp_path / "p.csv", PERSON_HEADER, [line]))
    assert problems == [f"2: birth_date: {text.strip()!r} is not a date in the form YYYY-MM-DD"]


def test_codes_may_be_given_as_chinese_terms_or_in_another_case(app, load, tmp_path):
    number = make_id_number("371602", date(1958, 7, 1), 222)  # a woman
    header = [*PERSON_HEADER, "pension", "medical"]
    line = f"{number},李娜,女,1958-07-01,退休人员,终止参保,ACTIVE"
    assert load(PERSONS, write(tmp_path / "p.csv", header, [line])).inserted == 1
    with app.app_context():
        person = db.session.scalar(select(Person))
        statuses = {i.insurance_type: i.status for i in person.insurances}
    assert (person.sex, person.category) == ("F", "retiree")
    assert statuses == {"pension": "terminated", "medical": "active"}


def test_a_reimport_marks_the_updated_rows(app, load, tmp_path):
    path = write(tmp_path / "p.csv", PERSON_HEADER, person_lines(2))
    load(PERSONS, path)
    with app.app_context():
        before = db.session.execute(select(Person.created_at, Person.updated_at)).all()
    assert load(PERSONS, path).updated == 2
    with app.app_context():
        after = db.session.execute(select(Person.created_at, Person.updated_at)).all()
    assert [row[0] for row in after] == [row[0] for row in before]
    assert all(new[1] > old[1] for new, old in zip(after, before, strict=True))


# --- one transaction, in batches ------------------------------------------------------------


def test_a_failure_while_writing_leaves_nothing_written(app, load, tmp_path, monkeypatch):
    """The file is one transaction: a batch that fails takes the batches before it along."""
    monkeypatch.setattr(engine, "WRITE_BATCH", 1000)
    written = []

    def write_then_fail(city, records):
        if written:
            raise RuntimeError("the database went away")
        written.append(len(records))
        return PERSONS.write(city, records)

    failing = dataclasses.replace(PERSONS, write=write_then_fail)
    path = write(tmp_path / "p.csv", PERSON_HEADER, person_lines(1001))
    with pytest.raises(RuntimeError):
        load(failing, path)
    assert written == [1000]
    assert person_count(app) == 0


def test_a_kind_names_its_key_among_its_columns():
    with pytest.raises(ValueError, match="no column"):
        ImportKind(name="broken", row=PersonRow, key=("serial",), write=PERSONS.write)


# --- the command on a large file --------------------------------------------------------------


def test_a_large_file_is_written_whole_with_a_progress_bar(app, tmp_path):
    runner = app.test_cli_runner()
    large = write(tmp_path / "large.csv", PERSON_HEADER, person_lines(5001), bom=True)
    done = runner.invoke(args=["import", "--city", "dezhou", str(large)])
    assert done.exit_code == 0, done.output
    assert "dezhou: 5001 added, 0 updated" in done.output
    assert "persons: checking" in done.output and "persons: writing" in done.output
    assert person_count(app) == 5001
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PersonInsurance)) == 0

    small = write(tmp_path / "small.csv", PERSON_HEADER, person_lines(3))
    done = runner.invoke(args=["import", "--city", "dezhou", str(small)])
    assert done.exit_code == 0, done.output
    assert "dezhou: 0 added, 3 updated" in done.output
    assert "persons:" not in done.output
