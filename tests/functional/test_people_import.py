"""Loading persons: `shebao import` (CSV, all-or-nothing, line-numbered problems, re-import
updates) and `shebao seed-demo` (deterministic demo data per city)."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from shebao.core.extensions import db
from shebao.core.importing import ImportProblems, import_file
from shebao.people.demo import DEMO_PEOPLE, demo_id_number
from shebao.people.idnumber import is_valid_id_number, make_id_number, sex_of
from shebao.people.importer import PERSONS
from shebao.people.models import Person, PersonInsurance

HEADER = [
    "id_number",
    "name",
    "sex",
    "birth_date",
    "category",
    "phone",
    "card_number",
    "employer",
    "first_insured",
    "pension",
    "medical",
    "unemployment",
    "resident_medical",
]

ZHANG = make_id_number("371602", date(1985, 3, 12), 111)  # odd: male
LI = make_id_number("371602", date(1958, 7, 1), 222)  # even: female
WANG = make_id_number("371603", date(1990, 11, 23), 313)  # male
ZHAO = make_id_number("371621", date(1995, 5, 8), 428)  # female; check character X


def person_row(id_number: str, name: str, **values: str) -> dict[str, str]:
    """A valid row for ``id_number``; sex and birth date follow from the number."""
    birth = f"{id_number[6:10]}-{id_number[10:12]}-{id_number[12:14]}"
    row = {
        "id_number": id_number,
        "name": name,
        "sex": sex_of(id_number),
        "birth_date": birth,
        "category": "employee",
        "phone": "",
        "card_number": "",
        "employer": "",
        "first_insured": "",
        "pension": "",
        "medical": "",
        "unemployment": "",
        "resident_medical": "",
    }
    row.update(values)
    return row


def good_rows() -> list[dict[str, str]]:
    return [
        person_row(
            ZHANG,
            "张伟",
            phone="13800000001",
            card_number="a00000001",
            employer="滨州市供电有限公司",
            first_insured="2005-07-01",
            pension="active",
            medical="active",
            unemployment="active",
        ),
        person_row(
            LI,
            "李娜",
            sex="女",
            category="retiree",
            phone="13900000002",
            pension="terminated",
            medical="active",
        ),
        person_row(WANG, "王强", category="flexible", pension="suspended", medical="active"),
        person_row(ZHAO.lower(), "赵敏", category="resident", resident_medical="active"),
    ]


def csv_text(rows: list[dict[str, str]], header: list[str] | None = None) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header or HEADER, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture
def write_csv(tmp_path):
    count = 0

    def write(rows, header=None, bom=False, encoding="utf-8") -> Path:
        nonlocal count
        count += 1
        path = tmp_path / f"persons-{count}.csv"
        data = csv_text(rows, header).encode(encoding)
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
        return path

    return write


@pytest.fixture
def city_import(app):
    """Import a persons file into a city inside an app context."""

    def run(code: str, path: Path):
        with app.app_context():
            return import_file(PERSONS, code, path)

    return run


@pytest.fixture
def runner(app):
    """The app's commands (`shebao import`, `shebao seed-demo` …), run against the test app."""
    cli_runner = app.test_cli_runner()

    def invoke(*args: str):
        return cli_runner.invoke(args=list(args))

    return invoke


def persons_of(app, code: str) -> dict[str, dict]:
    """Every person of a city, by ID number, with their insurance statuses."""
    with app.app_context():
        persons = db.session.scalars(select(Person).where(Person.city == code)).all()
        return {
            person.id_number: {
                "name": person.name,
                "sex": person.sex,
                "birth_date": person.birth_date,
                "phone": person.phone,
                "card_number": person.card_number,
                "category": person.category,
                "employer": person.employer,
                "insurances": {
                    i.insurance_type: (i.status, i.first_insured) for i in person.insurances
                },
                "insurance_cities": {i.city for i in person.insurances},
            }
            for person in persons
        }


def row_counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            "person": db.session.scalar(select(func.count()).select_from(Person)),
            "person_insurance": db.session.scalar(
                select(func.count()).select_from(PersonInsurance)
            ),
        }


def import_problems(city_import, code: str, path: Path) -> list[str]:
    with pytest.raises(ImportProblems) as caught:
        city_import(code, path)
    return caught.value.problems


# --- a good file ---------------------------------------------------------------------------


@pytest.mark.parametrize("bom", [False, True], ids=["plain-utf8", "utf8-with-bom"])
def test_a_good_file_loads_persons_and_their_insurance_statuses(app, city_import, write_csv, bom):
    result = city_import("binzhou", write_csv(good_rows(), bom=bom))

    assert (result.inserted, result.updated) == (4, 0)
    persons = persons_of(app, "binzhou")
    assert set(persons) == {ZHANG, LI, WANG, ZHAO}
    zhang = persons[ZHANG]
    assert zhang["name"] == "张伟" and zhang["sex"] == "M"
    assert zhang["birth_date"] == date(1985, 3, 12)
    assert zhang["phone"] == "13800000001"
    assert zhang["card_number"] == "A00000001"  # upper-cased
    assert zhang["employer"] == "滨州市供电有限公司"
    assert zhang["insurances"] == {
        "pension": ("active", date(2005, 7, 1)),
        "medical": ("active", date(2005, 7, 1)),
        "unemployment": ("active", date(2005, 7, 1)),
    }
    assert persons[LI]["sex"] == "F" and persons[LI]["category"] == "retiree"
    assert persons[LI]["insurances"] == {
        "pension": ("terminated", None),
        "medical": ("active", None),
    }
    assert persons[WANG]["insurances"]["pension"] == ("suspended", None)
    assert persons[ZHAO]["insurances"] == {"resident_medical": ("active", None)}
    assert persons[ZHAO]["phone"] is None and persons[ZHAO]["employer"] is None
    assert all(p["insurance_cities"] <= {"binzhou"} for p in persons.values())
    assert row_counts(app) == {"person": 4, "person_insurance": 8}


def test_lower_case_x_is_stored_upper_case(app, city_import, write_csv):
    number = next(
        make_id_number("371602", date(1980, 1, 1), s)
        for s in range(1000)
        if make_id_number("371602", date(1980, 1, 1), s).endswith("X")
    )
    city_import("binzhou", write_csv([person_row(number.lower(), "钱一")]))
    assert set(persons_of(app, "binzhou")) == {number}


def test_columns_may_come_in_any_order_and_optional_ones_may_be_left_out(
    app, city_import, write_csv
):
    header = ["category", "birth_date", "sex", "name", "id_number"]
    rows = [{k: v for k, v in person_row(WANG, "王强").items() if k in header}]
    result = city_import("binzhou", write_csv(rows, header=header))
    assert result.inserted == 1
    assert persons_of(app, "binzhou")[WANG]["insurances"] == {}


def test_padded_header_names_and_blank_lines_are_accepted(app, city_import, tmp_path):
    lines = csv_text([person_row(ZHANG, "张伟"), person_row(LI, "李娜")]).split("\r\n")
    lines[0] = ", ".join(lines[0].split(","))
    path = tmp_path / "padded.csv"
    path.write_text("\n".join([lines[0], "", lines[1], "", lines[2], ""]), encoding="utf-8")
    assert city_import("binzhou", path).inserted == 2


# --- one bad row stops the whole file ------------------------------------------------------


def _bad_check_digit(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


BAD_ROWS = {
    "bad-check-digit": (
        person_row(_bad_check_digit(WANG), "王强"),
        "id_number: check digit does not match",
    ),
    "id-too-short": (dict(person_row(WANG, "王强"), id_number=WANG[:17]), "id_number: must be 18"),
    "id-with-letters": (
        dict(person_row(WANG, "王强"), id_number="37160A" + WANG[6:]),
        "id_number: must be 17 digits",
    ),
    "impossible-birth-in-id": (
        dict(person_row(WANG, "王强"), id_number="371602199902301230"),
        "id_number: contains an impossible birth date",
    ),
    "birth-date-not-matching-id": (
        person_row(WANG, "王强", birth_date="1990-11-24"),
        "birth_date: does not match the ID number",
    ),
    "birth-date-not-a-date": (
        person_row(WANG, "王强", birth_date="1990/11/23"),
        "birth_date: '1990/11/23' is not a date in the form YYYY-MM-DD",
    ),
    "sex-not-matching-id": (person_row(WANG, "王强", sex="F"), "sex: does not match the ID number"),
    "sex-unknown": (person_row(WANG, "王强", sex="X"), "sex: must be M, F, 男 or 女"),
    "bad-phone": (
        person_row(WANG, "王强", phone="1380000"),
        "phone: must be an 11-digit mobile number",
    ),
    "landline-phone": (
        person_row(WANG, "王强", phone="05433160000"),
        "phone: must be an 11-digit mobile number",
    ),
    "unknown-category": (
        person_row(WANG, "王强", category="student"),
        "category: must be one of employee, retiree, flexible, resident",
    ),
    "unknown-status": (
        person_row(WANG, "王强", pension="paused"),
        "pension: must be one of active, suspended, terminated, not_insured",
    ),
    "empty-name": (person_row(WANG, "  "), "name: must be 1 to 64 characters"),
    "bad-card-number": (
        person_row(WANG, "王强", card_number="A-1"),
        "card_number: must be 6 to 32 letters",
    ),
    "bad-first-insured": (
        person_row(WANG, "王强", first_insured="2005-13-01"),
        "first_insured: '2005-13-01' is not a date",
    ),
}


@pytest.mark.parametrize("bad_row, reason", BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_one_bad_row_loads_nothing_and_names_its_line_and_reason(
    app, city_import, write_csv, bad_row, reason
):
    rows = good_rows()
    rows[2] = bad_row  # the header is line 1, so this is line 4
    problems = import_problems(city_import, "binzhou", write_csv(rows))

    assert len(problems) == 1
    assert problems[0].startswith(f"4: {reason}")
    assert row_counts(app) == {"person": 0, "person_insurance": 0}


def test_a_duplicate_id_number_in_the_file_loads_nothing(app, city_import, write_csv):
    rows = good_rows() + [person_row(LI, "李娜娜")]
    problems = import_problems(city_import, "binzhou", write_csv(rows))
    assert problems == ["6: id_number: already given on line 3"]
    assert row_counts(app)["person"] == 0


def test_an_id_number_given_in_both_cases_is_a_duplicate(app, city_import, write_csv):
    assert ZHAO.endswith("X")
    rows = good_rows() + [person_row(ZHAO, "赵敏")]  # line 5 gave it with a lower-case x
    assert import_problems(city_import, "binzhou", write_csv(rows)) == [
        "6: id_number: already given on line 5"
    ]


def test_every_bad_row_is_reported_with_its_own_line(app, city_import, write_csv):
    rows = good_rows()
    rows[0]["phone"] = "123"
    rows[3]["category"] = "nobody"
    problems = import_problems(city_import, "binzhou", write_csv(rows))
    assert [p.split(":", 2)[:2] for p in problems] == [["2", " phone"], ["5", " category"]]
    assert row_counts(app)["person"] == 0


def test_a_row_with_more_fields_than_columns_is_refused(app, city_import, tmp_path):
    lines = csv_text(good_rows()).split("\r\n")
    lines[2] += ",surplus"
    path = tmp_path / "wide.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert import_problems(city_import, "binzhou", path) == ["3: more fields than columns"]
    assert row_counts(app)["person"] == 0


def test_a_missing_required_column_is_refused(app, city_import, write_csv):
    header = [name for name in HEADER if name != "category"]
    rows = [{k: v for k, v in row.items() if k in header} for row in good_rows()]
    assert import_problems(city_import, "binzhou", write_csv(rows, header=header)) == [
        "1: missing column 'category'"
    ]
    assert row_counts(app)["person"] == 0


def test_an_unknown_column_is_refused(app, city_import, write_csv):
    rows = [dict(row, email="x@example.cn") for row in good_rows()]
    assert import_problems(city_import, "binzhou", write_csv(rows, header=[*HEADER, "email"])) == [
        "1: unknown column 'email'"
    ]
    assert row_counts(app)["person"] == 0


def test_a_file_that_is_not_utf8_is_refused_at_the_first_bad_line(app, city_import, write_csv):
    rows = good_rows()
    rows[0]["name"] = "Zhang"
    rows[0]["employer"] = "Power Co"
    path = write_csv(rows, encoding="gbk")  # 李娜 on line 3 is the first non-ASCII text
    assert import_problems(city_import, "binzhou", path) == ["3: the file is not UTF-8 text"]
    assert row_counts(app)["person"] == 0


def test_a_bom_does_not_shift_the_line_of_bad_bytes(city_import, tmp_path):
    path = tmp_path / "bom-latin1.csv"
    path.write_bytes(b"\xef\xbb\xbf" + ",".join(HEADER).encode() + b"\r\n" + b"\xe9\xe9\r\n")
    assert import_problems(city_import, "binzhou", path) == ["2: the file is not UTF-8 text"]


@pytest.mark.parametrize(
    "content", [b"", b"\xef\xbb\xbf", b"\r\n\r\n"], ids=["empty", "bom", "blank"]
)
def test_an_empty_file_is_refused(app, city_import, tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    problems = import_problems(city_import, "binzhou", path)
    assert len(problems) == 1 and problems[0].startswith("1: the file is empty")


def test_a_header_without_rows_is_refused(app, city_import, write_csv):
    assert import_problems(city_import, "binzhou", write_csv([])) == ["2: the file holds no rows"]


def test_a_failed_reimport_leaves_the_earlier_data_as_it_was(app, city_import, write_csv):
    city_import("binzhou", write_csv(good_rows()))
    before = persons_of(app, "binzhou")
    rows = good_rows()
    rows[0]["name"] = "张伟伟"
    rows[3]["phone"] = "not-a-phone"
    import_problems(city_import, "binzhou", write_csv(rows))
    assert persons_of(app, "binzhou") == before


# --- re-import updates -----------------------------------------------------------------------


def test_reimport_updates_and_does_not_duplicate(app, city_import, write_csv):
    city_import("binzhou", write_csv(good_rows()))
    counts = row_counts(app)

    rows = good_rows()
    rows[0].update(name="张大伟", phone="13711112222", pension="suspended")
    rows[1].update(phone="")
    result = city_import("binzhou", write_csv(rows))

    assert (result.inserted, result.updated) == (0, 4)
    assert row_counts(app) == counts
    persons = persons_of(app, "binzhou")
    assert persons[ZHANG]["name"] == "张大伟"
    assert persons[ZHANG]["phone"] == "13711112222"
    assert persons[ZHANG]["insurances"]["pension"] == ("suspended", date(2005, 7, 1))
    assert persons[LI]["phone"] is None
    assert persons[WANG]["name"] == "王强"


def test_reimport_of_the_same_file_changes_nothing(app, city_import, write_csv):
    path = write_csv(good_rows())
    city_import("binzhou", path)
    before, counts = persons_of(app, "binzhou"), row_counts(app)
    result = city_import("binzhou", path)
    assert (result.inserted, result.updated) == (0, 4)
    assert persons_of(app, "binzhou") == before
    assert row_counts(app) == counts


def test_reimport_replaces_the_insurance_statuses(app, city_import, write_csv):
    city_import("binzhou", write_csv(good_rows()))
    rows = good_rows()
    rows[0].update(unemployment="", medical="terminated")
    city_import("binzhou", write_csv(rows))
    assert persons_of(app, "binzhou")[ZHANG]["insurances"] == {
        "pension": ("active", date(2005, 7, 1)),
        "medical": ("terminated", date(2005, 7, 1)),
    }
    assert row_counts(app)["person_insurance"] == 7


def test_a_file_with_new_and_known_people_adds_and_updates(app, city_import, write_csv):
    city_import("binzhou", write_csv(good_rows()[:2]))
    result = city_import("binzhou", write_csv(good_rows()))
    assert (result.inserted, result.updated) == (2, 2)
    assert row_counts(app)["person"] == 4


# --- cities stay apart -----------------------------------------------------------------------


def test_the_same_id_numbers_in_another_city_leave_the_first_city_untouched(
    app, city_import, write_csv
):
    city_import("binzhou", write_csv(good_rows()))
    binzhou_before = persons_of(app, "binzhou")

    rows = good_rows()
    for row in rows:
        row.update(name=row["name"] + "德", phone="15500000000", pension="", medical="")
    result = city_import("dezhou", write_csv(rows))

    assert (result.inserted, result.updated) == (4, 0)  # new in Dezhou, not "updated"
    assert persons_of(app, "binzhou") == binzhou_before
    dezhou = persons_of(app, "dezhou")
    assert set(dezhou) == set(binzhou_before)
    assert dezhou[ZHANG]["name"] == "张伟德" and dezhou[ZHANG]["phone"] == "15500000000"
    assert all(p["insurance_cities"] <= {"dezhou"} for p in dezhou.values())
    assert row_counts(app)["person"] == 8

    city_import("dezhou", write_csv(good_rows()))  # a re-import in Dezhou …
    assert persons_of(app, "binzhou") == binzhou_before  # … still leaves Binzhou alone
    assert row_counts(app)["person"] == 8


# --- the `shebao import` command -------------------------------------------------------------


def test_cli_import_of_a_good_file(app, runner, write_csv):
    path = write_csv(good_rows(), bom=True)
    result = runner("import", "--city", "binzhou", str(path))
    assert result.exit_code == 0, result.output
    assert "binzhou: 4 added, 0 updated" in result.output
    assert row_counts(app)["person"] == 4

    again = runner("import", "--city", "binzhou", "--kind", "persons", str(path))
    assert again.exit_code == 0, again.output
    assert "binzhou: 0 added, 4 updated" in again.output
    assert row_counts(app)["person"] == 4


def test_cli_import_of_a_bad_file_fails_listing_file_line_and_reason(app, runner, write_csv):
    rows = good_rows()
    rows[1]["phone"] = "12"
    rows[3]["sex"] = "M"
    path = write_csv(rows)
    result = runner("import", "--city", "binzhou", str(path))

    assert result.exit_code != 0
    assert f"{path}:3: phone: must be an 11-digit mobile number" in result.output
    assert f"{path}:5: sex: does not match the ID number" in result.output
    assert "2 problem(s); nothing was imported." in result.output
    assert row_counts(app)["person"] == 0


def test_cli_import_of_a_file_with_a_bad_header(app, runner, write_csv):
    header = [name for name in HEADER if name != "id_number"]
    path = write_csv([{k: v for k, v in r.items() if k in header} for r in good_rows()], header)
    result = runner("import", "--city", "binzhou", str(path))
    assert result.exit_code != 0
    assert f"{path}:1: missing column 'id_number'" in result.output


def test_cli_import_into_an_unknown_city_is_refused(app, runner, write_csv):
    result = runner("import", "--city", "atlantis", str(write_csv(good_rows())))
    assert result.exit_code != 0
    assert "unknown city 'atlantis'" in result.output
    assert row_counts(app)["person"] == 0


def test_cli_import_of_a_missing_file_is_refused(app, runner, tmp_path):
    result = runner("import", "--city", "binzhou", str(tmp_path / "nope.csv"))
    assert result.exit_code != 0
    assert "does not exist" in result.output


def test_cli_import_needs_a_city(app, runner, write_csv):
    result = runner("import", str(write_csv(good_rows())))
    assert result.exit_code != 0
    assert "--city" in result.output


# --- `shebao seed-demo` ----------------------------------------------------------------------


def dump(app, code: str | None = None) -> list[tuple]:
    """Every person (and insurance) row's content, without database ids, in a stable order."""
    with app.app_context():
        people = select(
            Person.city,
            Person.id_number,
            Person.name,
            Person.sex,
            Person.birth_date,
            Person.phone,
            Person.card_number,
            Person.category,
            Person.employer,
        )
        insured = select(
            PersonInsurance.city,
            Person.id_number,
            PersonInsurance.insurance_type,
            PersonInsurance.status,
            PersonInsurance.first_insured,
        ).join(Person)
        if code:
            people = people.where(Person.city == code)
            insured = insured.where(PersonInsurance.city == code)
        rows = [
            tuple(r) for r in db.session.execute(people.order_by(Person.city, Person.id_number))
        ]
        rows += [
            tuple(r)
            for r in db.session.execute(
                insured.order_by(
                    PersonInsurance.city, Person.id_number, PersonInsurance.insurance_type
                )
            )
        ]
        return rows


def count_by_city(app) -> dict[str, int]:
    with app.app_context():
        return dict(
            db.session.execute(select(Person.city, func.count()).group_by(Person.city)).all()
        )


def all_city_codes(app) -> list[str]:
    return [city.code for city in app.extensions["shebao.cities"]]


def test_seed_demo_creates_the_asked_number_plus_the_demo_people_in_every_city(app, runner):
    result = runner("seed-demo", "--persons", "30")
    assert result.exit_code == 0, result.output
    codes = all_city_codes(app)
    assert {"binzhou", "dezhou"} <= set(codes)
    assert count_by_city(app) == {code: 30 + len(DEMO_PEOPLE) for code in codes}
    for code in codes:
        assert f"{code}: {30 + len(DEMO_PEOPLE)} persons" in result.output
    with app.app_context():
        uninsured = db.session.scalar(
            select(func.count()).select_from(Person).where(~Person.insurances.any())
        )
    assert uninsured == 0


def test_seed_demo_is_deterministic_and_never_duplicates(app, runner):
    assert runner("seed-demo", "--persons", "30").exit_code == 0
    first = dump(app)
    assert runner("seed-demo", "--persons", "30").exit_code == 0
    assert dump(app) == first
    assert count_by_city(app) == {code: 30 + len(DEMO_PEOPLE) for code in all_city_codes(app)}


def test_seed_demo_gives_the_same_data_on_a_fresh_database(app, runner):
    assert runner("seed-demo", "--persons", "30", "--seed", "7").exit_code == 0
    first = dump(app)
    with app.app_context():
        db.session.execute(PersonInsurance.__table__.delete())
        db.session.execute(Person.__table__.delete())
        db.session.commit()
    assert runner("seed-demo", "--persons", "30", "--seed", "7").exit_code == 0
    assert dump(app) == first


def test_another_seed_gives_other_generated_people_but_the_same_demo_people(app, runner):
    assert runner("seed-demo", "--city", "binzhou", "--persons", "30").exit_code == 0
    default = set(persons_of(app, "binzhou"))
    with app.app_context():
        db.session.execute(PersonInsurance.__table__.delete())
        db.session.execute(Person.__table__.delete())
        db.session.commit()
    assert runner("seed-demo", "--city", "binzhou", "--persons", "30", "--seed", "1").exit_code == 0
    other = set(persons_of(app, "binzhou"))
    city = app.extensions["shebao.cities"].get("binzhou")
    assert default & other == {demo_id_number(city, person) for person in DEMO_PEOPLE}


def test_seed_demo_if_empty_does_nothing_when_data_exists(app, runner):
    assert runner("seed-demo", "--city", "dezhou", "--persons", "5").exit_code == 0
    before = dump(app)
    result = runner("seed-demo", "--if-empty", "--persons", "30")
    assert result.exit_code == 0, result.output
    assert "nothing seeded" in result.output
    assert dump(app) == before
    assert count_by_city(app) == {"dezhou": 5 + len(DEMO_PEOPLE)}


def test_seed_demo_if_empty_seeds_an_empty_database(app, runner):
    result = runner("seed-demo", "--if-empty", "--persons", "3")
    assert result.exit_code == 0, result.output
    assert count_by_city(app) == {code: 3 + len(DEMO_PEOPLE) for code in all_city_codes(app)}


def test_seed_demo_for_one_city_touches_only_that_city(app, runner, city_import, write_csv):
    city_import("binzhou", write_csv(good_rows()))
    binzhou_before = dump(app, "binzhou")

    result = runner("seed-demo", "--city", "dezhou", "--persons", "30")

    assert result.exit_code == 0, result.output
    assert count_by_city(app) == {"binzhou": 4, "dezhou": 30 + len(DEMO_PEOPLE)}
    assert dump(app, "binzhou") == binzhou_before
    assert "binzhou" not in result.output


def test_seed_demo_for_an_unknown_city_is_a_clear_error_and_seeds_nothing(app, runner):
    result = runner("seed-demo", "--city", "binzhou", "--city", "atlantis", "--persons", "3")
    assert result.exit_code != 0
    assert "unknown city" in result.output
    assert "binzhou" in result.output and "dezhou" in result.output  # lists the known ones
    assert "Traceback" not in result.output
    assert count_by_city(app) == {}


def test_every_seeded_id_number_is_valid_unique_and_agrees_with_the_person(app, runner):
    assert runner("seed-demo", "--persons", "300").exit_code == 0
    with app.app_context():
        persons = db.session.execute(
            select(Person.city, Person.id_number, Person.sex, Person.birth_date)
        ).all()
    by_city: dict[str, list[str]] = {}
    for city, number, sex, birth in persons:
        assert is_valid_id_number(number), number
        assert number == number.upper()
        assert sex == sex_of(number)
        assert f"{birth:%Y%m%d}" == number[6:14]
        by_city.setdefault(city, []).append(number)
    assert set(by_city) == set(all_city_codes(app))
    for numbers in by_city.values():
        assert len(numbers) == 300 + len(DEMO_PEOPLE)
        assert len(set(numbers)) == len(numbers)


def test_the_fixed_demo_people_exist_in_every_city(app, runner):
    assert runner("seed-demo", "--persons", "10").exit_code == 0
    for city in app.extensions["shebao.cities"]:
        persons = persons_of(app, city.code)
        for demo in DEMO_PEOPLE:
            number = demo_id_number(city, demo)
            assert is_valid_id_number(number)
            person = persons[number]
            assert (person["name"], person["sex"], person["birth_date"]) == (
                demo.name,
                demo.sex,
                demo.birth,
            )
            assert (person["category"], person["phone"]) == (demo.category, demo.phone)
            assert person["insurances"], f"{city.code}: {demo.name} has no insurance"
    binzhou, dezhou = (app.extensions["shebao.cities"].get(c) for c in ("binzhou", "dezhou"))
    assert demo_id_number(binzhou, DEMO_PEOPLE[0]).startswith("3716")
    assert demo_id_number(dezhou, DEMO_PEOPLE[0]).startswith("3714")
