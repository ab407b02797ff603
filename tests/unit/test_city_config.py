"""City YAML: the shipped cities validate, and every kind of mistake gets a clear message.

Each broken city is a copy of a shipped one in a temporary folder with one edit. A message
must name the file, the key path and the reason (``<file>: <key path>: <reason>``), and
``load_cities`` must list every problem at once, not stop at the first.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from pydantic import TypeAdapter, ValidationError

from shebao.core.i18n import ANY_LOCALE, label_text
from shebao.core.settings import PROJECT_ROOT
from shebao.registry import all_modules
from shebao.tenancy.loader import CityConfigError, format_loc, load_cities, parse_city_file
from shebao.tenancy.types import Amount, Label, Rate, Year, rule_for_year
from tests.conftest import FIXTURE_CITIES, SHIPPED_CITIES, make_cities_dir

MODULES = all_modules()

THEMES = PROJECT_ROOT / "themes"
BASE = "localhost"
#: Every problem line: ``cities/<code>/city.yaml: <where>: <reason>``.
PROBLEM = re.compile(r"^cities/[a-z][a-z0-9_-]*/city\.yaml: [^:]+: .+$")


# ---------------------------------------------------------------- helpers


def copy_cities(tmp_path: Path, *codes: str) -> Path:
    """``tmp_path/cities`` holding real copies of the named shipped cities."""
    cities = tmp_path / "cities"
    cities.mkdir(exist_ok=True)
    for code in codes:
        shutil.copytree(SHIPPED_CITIES / code, cities / code)
    if not (cities / "provinces").exists():
        shutil.copytree(SHIPPED_CITIES / "provinces", cities / "provinces")
    return cities


def city_file(cities: Path, code: str) -> Path:
    return cities / code / "city.yaml"


def edit_data(cities: Path, code: str, change: Callable[[dict], object]) -> None:
    """Parse a city's YAML, let ``change`` edit the dict in place, write it back."""
    path = city_file(cities, code)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def edit_text(cities: Path, code: str, old: str, new: str) -> int:
    """Replace ``old`` (which must occur once) by ``new``; return the 1-based line of the edit."""
    path = city_file(cities, code)
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur exactly once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def problems(cities: Path) -> list[str]:
    with pytest.raises(CityConfigError) as caught:
        load_cities(cities, THEMES, BASE, MODULES)
    assert str(caught.value).startswith("invalid city configuration:\n")
    for problem in caught.value.problems:
        assert problem in str(caught.value)
    return caught.value.problems


def at(path: list, value) -> Callable[[dict], None]:
    """An edit that sets ``data[path[0]][path[1]]… = value`` (adding mappings on the way: a
    key the city inherits from its province file is then overridden in the city file)."""

    def change(data: dict) -> None:
        *parents, last = path
        for key in parents:
            data = data[key] if isinstance(data, list) else data.setdefault(key, {})
        data[last] = value

    return change


def drop(path: list) -> Callable[[dict], None]:
    def change(data: dict) -> None:
        *parents, last = path
        for key in parents:
            data = data[key]
        del data[last]

    return change


def add_menu_item(group: int, item) -> Callable[[dict], None]:
    return lambda data: data["menu"][group]["items"].append(item)


# ---------------------------------------------------------------- the shipped cities


def test_the_shipped_cities_validate():
    cities = load_cities(SHIPPED_CITIES, THEMES, BASE, MODULES)
    assert [city.code for city in cities] == ["binzhou", "dezhou"]
    binzhou, dezhou = cities
    assert binzhou.hosts(BASE) == ["binzhou.localhost"]
    assert dezhou.hosts(BASE) == ["dezhou.localhost"]
    assert binzhou.config.auth.registration.methods == ["card", "sms"]
    assert binzhou.config.auth.default_password is None
    assert dezhou.config.auth.registration is None
    assert dezhou.config.auth.default_password.password == "888888"
    assert not dezhou.module_enabled("printing")
    assert binzhou.module_enabled("printing")


def test_the_shipped_cities_validate_together_with_the_fixture_city(tmp_path):
    cities_dir = make_cities_dir(tmp_path / "cities", SHIPPED_CITIES, FIXTURE_CITIES)
    cities = load_cities(cities_dir, THEMES, BASE, MODULES)
    assert [city.code for city in cities] == ["binzhou", "dezhou", "linhu"]
    assert cities.get("linhu").hosts(BASE) == ["linhu.localhost", "si.linhu.example.cn"]


@pytest.mark.parametrize("code", ["binzhou", "dezhou"])
def test_each_shipped_file_parses_on_its_own_without_problems(code):
    config, found = parse_city_file(city_file(SHIPPED_CITIES, code), MODULES)
    assert found == []
    assert config.code == code


def test_a_loaded_city_is_frozen():
    city = load_cities(SHIPPED_CITIES, THEMES, BASE, MODULES).get("binzhou")
    with pytest.raises(ValidationError):
        city.config.theme = "heritage-red"
    with pytest.raises(ValidationError):
        city.config.auth.lockout.max_failures = 99


def test_a_copy_that_is_edited_and_dumped_back_unchanged_still_validates(tmp_path):
    """The helper used below changes nothing by itself: every failure is the edit's."""
    cities = copy_cities(tmp_path, "binzhou", "dezhou")
    edit_data(cities, "binzhou", lambda data: None)
    edit_data(cities, "dezhou", lambda data: None)
    assert [city.code for city in load_cities(cities, THEMES, BASE, MODULES)] == [
        "binzhou",
        "dezhou",
    ]


# ---------------------------------------------------------------- one mistake, one message

#: (id, city, edit, expected problem without the ``cities/<city>/city.yaml: `` prefix).
#: A pattern (``re.Pattern``) is used where pydantic words the reason.
CASES = [
    ("unknown top-level key", "binzhou", at(["colour"], "red"), "colour: unknown key"),
    (
        "unknown nested key",
        "binzhou",
        at(["auth", "lockout", "foo"], 1),
        "auth.lockout.foo: unknown key",
    ),
    (
        "unknown module options key",
        "dezhou",
        at(["modules", "card", "colour"], "red"),
        "modules.card.colour: unknown key",
    ),
    (
        "unknown module",
        "binzhou",
        at(["modules", "weather"], {}),
        "modules.weather: unknown key",
    ),
    (
        "wrong type",
        "binzhou",
        at(["auth", "lockout", "max_failures"], "five"),
        re.compile(r"auth\.lockout\.max_failures: .*valid integer"),
    ),
    (
        "out of range",
        "binzhou",
        at(["auth", "lockout", "minutes"], 0),
        re.compile(r"auth\.lockout\.minutes: .*greater than or equal to 1"),
    ),
    (
        "wrong choice",
        "binzhou",
        at(["auth", "registration", "methods"], ["card", "fax"]),
        re.compile(r"auth\.registration\.methods\[1\]: .*'card' or 'sms'"),
    ),
    ("missing required key", "binzhou", drop(["branding", "title"]), "branding.title: is required"),
    ("missing top-level key", "dezhou", drop(["theme"]), "theme: is required"),
    (
        "menu item of an unknown module",
        "binzhou",
        add_menu_item(0, "weather.today"),
        "menu[0].items[3].item: unknown module 'weather' (known: account, benefits, card, "
        "card_collection, contributions, employment, labour, messages, payments, pension_account, "
        "pension_estimate, "
        "personal_info, printing, todo)",
    ),
    (
        "menu item of a module that is not enabled",
        "binzhou",
        add_menu_item(0, "todo.list"),
        "menu[0].items[3].item: module 'todo' is not enabled in modules.todo",
    ),
    (
        "menu item of a module switched off with enabled: false",
        "binzhou",
        at(["modules", "labour"], {"enabled": False}),
        "menu[8].items[0].item: module 'labour' is not enabled in modules.labour",
    ),
    (
        "menu item naming an unknown page",
        "binzhou",
        add_menu_item(3, "card.nothing"),
        "menu[3].items[4].item: module 'card' has no page 'nothing' "
        "(it has: info, report_loss, records, swipes)",
    ),
    (
        "menu item for a page switched off by module options",
        "dezhou",
        add_menu_item(3, {"item": "card.report_loss", "label": "挂失"}),
        "menu[3].items[3].item: page 'card.report_loss' is switched off in modules.card",
    ),
    (
        "menu item for an insurance type the city does not show",
        "dezhou",
        add_menu_item(2, "contributions.pension"),
        "menu[2].items[3].item: page 'contributions.pension' is switched off "
        "in modules.contributions",
    ),
    (
        "menu item that is not <module>.<page>",
        "binzhou",
        add_menu_item(0, "logout"),
        "menu[0].items[3].item: must be <module>.<page>, such as contributions.pension",
    ),
    (
        "menu item with an unknown key",
        "binzhou",
        add_menu_item(0, {"item": "account.logout", "icon": "door"}),
        "menu[0].items[3].icon: unknown key",
    ),
    (
        "menu item listed twice in a group",
        "binzhou",
        add_menu_item(0, "account.logout"),
        "menu[0].items[3].item: 'account.logout' is already in this group at menu[0].items[2].item",
    ),
    (
        "menu group key listed twice",
        "binzhou",
        lambda data: data["menu"].append(dict(data["menu"][0])),
        "menu[10].key: group 'account' appears twice",
    ),
    (
        "unknown theme",
        "binzhou",
        at(["theme"], "purple"),
        "theme: unknown theme 'purple' (known: classic-blue, heritage-red)",
    ),
    (
        "negative resident pension grade",
        "binzhou",
        at(["modules", "payments", "resident_pension", "years", 2026, "grades", 2], -800),
        "modules.payments.resident_pension.years.2026.grades[2]: must be a positive amount",
    ),
    (
        "zero resident pension grade",
        "binzhou",
        at(["modules", "payments", "resident_pension", "years", 2026, "grades", 2], 0),
        "modules.payments.resident_pension.years.2026.grades[2]: must be a positive amount",
    ),
    (
        "amount with more than two decimals",
        "binzhou",
        at(["modules", "payments", "resident_medical", "years", 2027, "amount"], 420.005),
        "modules.payments.resident_medical.years.2027.amount: "
        "must be an amount in yuan with at most two decimals (fen)",
    ),
    (
        "amount too large for a money column",
        "binzhou",
        at(["modules", "payments", "resident_medical", "years", 2026, "amount"], 1e30),
        "modules.payments.resident_medical.years.2026.amount: "
        "must be at most 9999999999.99 (money columns are Numeric(12, 2))",
    ),
    (
        "grades out of order",
        "binzhou",
        at(["modules", "payments", "resident_pension", "years", 2026, "grades"], [500, 300]),
        "modules.payments.resident_pension.years.2026.grades: "
        "grades must be listed in ascending order without repeats",
    ),
    (
        "rate above 1",
        "binzhou",
        at(["modules", "contributions", "years", 2026, "rates", "pension", "individual"], 8),
        "modules.contributions.years.2026.rates.pension.individual: "
        "must be a rate between 0 and 1, such as 0.08",
    ),
    (
        "negative rate",
        "dezhou",
        at(["modules", "payments", "flexible", "years", 2025, "rates", "medical"], -0.075),
        "modules.payments.flexible.years.2025.rates.medical: "
        "must be a rate between 0 and 1, such as 0.08",
    ),
    (
        "base_min greater than base_max",
        "binzhou",
        at(["modules", "contributions", "years", 2019, "base_min"], 16501),
        "modules.contributions.years.2019: base_min must not be greater than base_max",
    ),
    (
        "flexible base_min greater than base_max",
        "dezhou",
        at(["modules", "payments", "flexible", "years", 2026, "base_max"], 4000),
        "modules.payments.flexible.years.2026: base_min must not be greater than base_max",
    ),
    (
        "year key that is not a year",
        "binzhou",
        lambda data: data["modules"]["contributions"]["years"].update(
            {"next": data["modules"]["contributions"]["years"][2026]}
        ),
        "modules.contributions.years.next: invalid key: must be a year such as 2026",
    ),
    (
        "rates for an unknown insurance type",
        "binzhou",
        at(
            ["modules", "contributions", "years", 2026, "rates", "pensoin"],
            {"individual": 0.08, "employer": 0.16},
        ),
        re.compile(
            r"modules\.contributions\.years\.2026\.rates\.pensoin: invalid key: .*'pension'"
        ),
    ),
    (
        "payment window that ends before it starts",
        "binzhou",
        at(["modules", "payments", "resident_medical", "years", 2027, "window_end"], "2026-01-01"),
        "modules.payments.resident_medical.years.2027: window_start must not be after window_end",
    ),
    (
        "code not equal to the folder name",
        "binzhou",
        at(["code"], "binzhu"),
        "code: must equal the folder name 'binzhou'",
    ),
    (
        "code that is not a slug",
        "binzhou",
        at(["code"], "Binzhou City"),
        "code: must be 1–32 lower-case letters, digits, '-' or '_', starting with a letter",
    ),
    (
        "label with an unknown language",
        "binzhou",
        at(["name"], {"zh_CN": "滨州市", "fr": "Binzhou"}),
        "name: unknown language 'fr' (known: zh_CN, en)",
    ),
    (
        "nested label with an unknown language",
        "dezhou",
        at(["menu", 1, "items", 0, "label"], {"de": "Info"}),
        "menu[1].items[0].label: unknown language 'de' (known: zh_CN, en)",
    ),
    (
        "empty label",
        "binzhou",
        at(["branding", "operator"], " "),
        "branding.operator: must not be empty",
    ),
    (
        "label of the wrong type",
        "binzhou",
        at(["name"], ["滨州市"]),
        "name: must be a string or a mapping of language to string",
    ),
    (
        "auth with neither registration nor default password",
        "binzhou",
        drop(["auth", "registration"]),
        "auth: needs registration or default_password, or residents cannot get an account",
    ),
    (
        "default locale not among the available ones",
        "binzhou",
        at(["locales"], {"default": "en", "available": ["zh_CN"]}),
        "locales: the default language must be one of the available ones",
    ),
    (
        "division code of 5 digits",
        "binzhou",
        at(["division_code"], "37160"),
        'division_code: must be a 6-digit division code in quotes, such as "371600"',
    ),
    (
        "division code written as a number",
        "dezhou",
        at(["division_code"], 371400),
        'division_code: must be a 6-digit division code in quotes, such as "371600"',
    ),
    (
        "hotline that is not a phone number",
        "dezhou",
        at(["branding", "hotline"], "call us"),
        'branding.hotline: must be a phone number in quotes, such as "0543-12333"',
    ),
    (
        "host with a scheme",
        "binzhou",
        at(["hosts"], ["https://si.binzhou.gov.cn"]),
        "hosts[0]: must be a host name such as si.binzhou.gov.cn (no scheme, no port)",
    ),
    (
        "the core account module switched off",
        "binzhou",
        at(["modules", "account"], {"enabled": False}),
        "modules.account.enabled: module 'account' cannot be switched off (every city has it)",
    ),
    (
        "top level that is not a mapping",
        "binzhou",
        None,
        "(top level): must be a mapping of keys to values",
    ),
]


@pytest.mark.parametrize(
    ("city", "edit", "expected"),
    [pytest.param(city, edit, expected, id=name) for name, city, edit, expected in CASES],
)
def test_a_mistake_is_reported_with_file_key_path_and_reason(tmp_path, city, edit, expected):
    cities = copy_cities(tmp_path, "binzhou", "dezhou")
    if edit is None:
        city_file(cities, city).write_text("- just\n- a list\n", encoding="utf-8")
    else:
        edit_data(cities, city, edit)
    found = problems(cities)
    prefix = f"cities/{city}/city.yaml: "
    assert all(PROBLEM.match(problem) for problem in found), found
    if isinstance(expected, re.Pattern):
        assert any(p.startswith(prefix) and expected.match(p[len(prefix) :]) for p in found), found
    else:
        assert prefix + expected in found
    # The other city is fine: nothing is reported against it.
    other = "dezhou" if city == "binzhou" else "binzhou"
    assert not [p for p in found if p.startswith(f"cities/{other}/")]


def test_there_are_at_least_fourteen_kinds_of_mistake():
    assert len({name for name, *_ in CASES}) >= 14


def test_the_exact_message_for_a_negative_grade(tmp_path):
    cities = copy_cities(tmp_path, "binzhou")
    edit_data(
        cities,
        "binzhou",
        at(["modules", "payments", "resident_pension", "years", 2026, "grades", 2], -800),
    )
    assert problems(cities) == [
        "cities/binzhou/city.yaml: "
        "modules.payments.resident_pension.years.2026.grades[2]: must be a positive amount"
    ]


# ---------------------------------------------------------------- YAML text mistakes


def test_invalid_yaml_syntax_names_the_line(tmp_path):
    cities = copy_cities(tmp_path, "binzhou")
    line = edit_text(cities, "binzhou", '  hotline: "0543-12333"', '  hotline: "0543-12333" ext. 5')
    (problem,) = problems(cities)
    assert re.fullmatch(
        rf"cities/binzhou/city\.yaml: line {line}, column \d+: not valid YAML: .+", problem
    ), problem


def test_an_unclosed_bracket_is_invalid_yaml_with_a_line_number(tmp_path):
    cities = copy_cities(tmp_path, "dezhou")
    line = edit_text(cities, "dezhou", "theme: heritage-red", "theme: [heritage-red")
    (problem,) = problems(cities)
    found = int(re.search(r": line (\d+), column \d+: not valid YAML: ", problem).group(1))
    assert problem.startswith("cities/dezhou/city.yaml: line ")
    assert line <= found <= line + 1  # the parser notices on the next line at the latest


def test_a_tab_used_for_indentation_is_invalid_yaml(tmp_path):
    cities = copy_cities(tmp_path, "binzhou")
    line = edit_text(cities, "binzhou", "  hotline:", "\thotline:")
    (problem,) = problems(cities)
    assert problem.startswith(f"cities/binzhou/city.yaml: line {line}, column 1: not valid YAML: ")
    assert "\\t" in problem


def test_a_key_given_twice_in_one_mapping_is_refused(tmp_path):
    """PyYAML would silently keep the last one."""
    cities = copy_cities(tmp_path, "binzhou")
    line = edit_text(
        cities, "binzhou", "theme: classic-blue\n", "theme: classic-blue\ntheme: heritage-red\n"
    )
    assert problems(cities) == [
        f"cities/binzhou/city.yaml: line {line + 1}, column 1: not valid YAML: "
        "key 'theme' is given twice"
    ]


def test_a_nested_key_given_twice_is_refused(tmp_path):
    cities = copy_cities(tmp_path, "dezhou")
    line = edit_text(
        cities,
        "dezhou",
        "  recovery: {sms: false, security_questions: true}\n",
        "  recovery: {sms: false, security_questions: true}\n  recovery: {sms: true}\n",
    )
    assert problems(cities) == [
        f"cities/dezhou/city.yaml: line {line + 1}, column 3: not valid YAML: "
        "key 'recovery' is given twice"
    ]


def test_a_year_given_twice_in_a_money_table_is_refused(tmp_path):
    cities = copy_cities(tmp_path, "binzhou")
    grades = "        2026: {grades: [300, 500, 800, 1000, 1500, 2000, 3000, 4000, 5000]}\n"
    line = edit_text(cities, "binzhou", grades, grades + "        2026: {grades: [100]}\n")
    assert problems(cities) == [
        f"cities/binzhou/city.yaml: line {line + 1}, column 9: not valid YAML: "
        "key 2026 is given twice"
    ]


def test_a_list_used_as_a_key_is_invalid_yaml_not_a_crash(tmp_path):
    cities = copy_cities(tmp_path, "binzhou")
    line = edit_text(cities, "binzhou", "hosts: []\n", "hosts: []\n? [a, b]\n: 1\n")
    assert problems(cities) == [
        f"cities/binzhou/city.yaml: line {line + 1}, column 3: not valid YAML: "
        "a key must be a plain value, not a list or mapping"
    ]


def test_a_file_that_is_not_utf8_is_reported(tmp_path):
    cities = copy_cities(tmp_path, "binzhou")
    city_file(cities, "binzhou").write_bytes("code: 滨州\n".encode("gb18030"))
    assert problems(cities) == ["cities/binzhou/city.yaml: must be UTF-8 text"]


# ---------------------------------------------------------------- across files


def test_a_host_claimed_by_two_cities_is_reported_at_the_claiming_entry(tmp_path):
    cities = copy_cities(tmp_path, "binzhou", "dezhou")
    edit_data(cities, "binzhou", at(["hosts"], ["si.binzhou.gov.cn", "dezhou.localhost"]))
    assert problems(cities) == [
        "cities/binzhou/city.yaml: hosts[1]: host 'dezhou.localhost' is already used by "
        "cities/dezhou/city.yaml"
    ]


def test_a_host_claimed_by_a_later_city_is_reported_at_that_city(tmp_path):
    cities = copy_cities(tmp_path, "binzhou", "dezhou")
    edit_data(cities, "dezhou", at(["hosts"], ["binzhou.localhost"]))
    assert problems(cities) == [
        "cities/dezhou/city.yaml: hosts[0]: host 'binzhou.localhost' is already used by "
        "cities/binzhou/city.yaml"
    ]


def test_an_extra_host_listed_by_two_cities_is_reported_once(tmp_path):
    cities = copy_cities(tmp_path, "binzhou", "dezhou")
    edit_data(cities, "binzhou", at(["hosts"], ["si.shandong.gov.cn"]))
    edit_data(cities, "dezhou", at(["hosts"], ["SI.Shandong.gov.cn."]))
    assert problems(cities) == [
        "cities/dezhou/city.yaml: hosts[0]: host 'si.shandong.gov.cn' is already used by "
        "cities/binzhou/city.yaml"
    ]


def test_two_folders_with_one_code_are_both_told_to_match_their_folder(tmp_path):
    cities = copy_cities(tmp_path, "binzhou")
    shutil.copytree(cities / "binzhou", cities / "binzhou2")
    assert problems(cities) == [
        "cities/binzhou2/city.yaml: code: must equal the folder name 'binzhou2'"
    ]


def test_every_problem_of_every_file_is_listed_at_once(tmp_path):
    cities = copy_cities(tmp_path, "binzhou", "dezhou")

    def break_binzhou(data: dict) -> None:
        data["colour"] = "red"
        data["auth"]["lockout"] = {"max_failures": "five"}
        del data["branding"]["title"]
        data["modules"]["payments"]["resident_pension"]["years"][2026]["grades"][2] = -1
        data["division_code"] = "37160"

    def break_dezhou(data: dict) -> None:
        data["theme"] = "purple"
        data["menu"][3]["items"].append("card.report_loss")
        data["menu"][0]["items"].append("printing.pension_income")

    edit_data(cities, "binzhou", break_binzhou)
    edit_data(cities, "dezhou", break_dezhou)
    found = problems(cities)
    assert len(found) == 8, found
    assert all(PROBLEM.match(problem) for problem in found), found
    binzhou = [p for p in found if p.startswith("cities/binzhou/city.yaml: ")]
    dezhou = [p for p in found if p.startswith("cities/dezhou/city.yaml: ")]
    assert {p.split(": ")[1] for p in binzhou} == {
        "colour",
        "auth.lockout.max_failures",
        "branding.title",
        "modules.payments.resident_pension.years.2026.grades[2]",
        "division_code",
    }
    assert {p.split(": ")[1] for p in dezhou} == {
        "theme",
        "menu[3].items[3].item",
        "menu[0].items[4].item",
    }


def test_a_yaml_error_in_one_city_does_not_hide_the_problems_of_another(tmp_path):
    cities = copy_cities(tmp_path, "binzhou", "dezhou")
    edit_text(cities, "binzhou", "theme: classic-blue", "theme: [classic-blue")
    edit_data(cities, "dezhou", at(["code"], "dz"))
    found = problems(cities)
    assert len(found) == 2
    assert found[0].startswith("cities/binzhou/city.yaml: line ")
    assert found[1] == "cities/dezhou/city.yaml: code: must equal the folder name 'dezhou'"


def test_a_missing_or_empty_cities_folder_is_reported(tmp_path):
    with pytest.raises(CityConfigError) as caught:
        load_cities(tmp_path / "nowhere", THEMES, BASE, MODULES)
    assert caught.value.problems == [f"{tmp_path / 'nowhere'}: the cities folder does not exist"]
    (tmp_path / "empty").mkdir()
    with pytest.raises(CityConfigError) as caught:
        load_cities(tmp_path / "empty", THEMES, BASE, MODULES)
    assert caught.value.problems == [f"{tmp_path / 'empty'}: holds no <city>/city.yaml"]


def test_parse_city_file_returns_problems_instead_of_raising(tmp_path):
    path = tmp_path / "city.yaml"
    path.write_text("code: x\n", encoding="utf-8")
    config, found = parse_city_file(path, MODULES, "x.yaml")
    assert config is None
    assert "x.yaml: name: is required" in found
    assert "x.yaml: menu: is required" in found
    config, found = parse_city_file(tmp_path / "absent.yaml", MODULES, "absent.yaml")
    assert config is None
    assert found[0].startswith("absent.yaml: cannot be read: ")


def test_format_loc_writes_list_indexes_and_mapping_keys_differently():
    assert format_loc(()) == "(top level)"
    assert format_loc(("menu", 2, "items", 0, "item")) == "menu[2].items[0].item"
    data = {"years": {2026: {"grades": [1, 2, 3]}}}
    assert format_loc(("years", 2026, "grades", 2), data) == "years.2026.grades[2]"


# ---------------------------------------------------------------- labels and value types


def test_a_string_label_applies_to_every_language():
    label = TypeAdapter(Label).validate_python("社保")
    assert label == {ANY_LOCALE: "社保"}
    assert label_text(label, "zh_CN") == "社保"
    assert label_text(label, "en") == "社保"


def test_a_mapping_label_picks_the_language():
    label = TypeAdapter(Label).validate_python({"zh_CN": "滨州市", "en": "Binzhou"})
    assert label_text(label, "zh_CN") == "滨州市"
    assert label_text(label, "en") == "Binzhou"


def test_a_label_without_the_language_falls_back_to_chinese_then_to_any_text():
    assert label_text({"zh_CN": "滨州市"}, "en") == "滨州市"
    assert label_text({"en": "Binzhou"}, "zh_CN") == "Binzhou"
    assert label_text({}, "en") == ""


def test_a_label_outside_a_request_is_in_the_default_language():
    assert label_text({"zh_CN": "滨州市", "en": "Binzhou"}) == "滨州市"


def test_label_text_of_a_plain_or_lazy_string_is_that_string():
    from flask_babel import lazy_gettext

    assert label_text("Orders") == "Orders"
    assert label_text(lazy_gettext("Orders"), "en") == "Orders"


def test_labels_of_a_loaded_city_resolve_per_language():
    dezhou = load_cities(SHIPPED_CITIES, THEMES, BASE, MODULES).get("dezhou")
    assert dezhou.name == "德州市"
    assert label_text(dezhou.config.name, "en") == "Dezhou"
    account = dezhou.menus[0]
    assert label_text(account.label, "en") == "Account settings"
    todo = account.links[1]
    assert (todo.module, todo.key) == ("todo", "list")
    assert label_text(todo.label, "zh_CN") == "待办事项"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "must not be empty"),
        ({}, "must name at least one language"),
        ({"en": ""}, "the en text must be a non-empty string"),
        ({"en": 5}, "the en text must be a non-empty string"),
        ({"zh": "社保"}, "unknown language 'zh' (known: zh_CN, en)"),
        (5, "must be a string or a mapping of language to string"),
    ],
)
def test_bad_labels(value, reason):
    with pytest.raises(ValidationError, match=re.escape(reason)):
        TypeAdapter(Label).validate_python(value)


def test_amounts_are_decimals_rounded_to_the_fen():
    amount = TypeAdapter(Amount)
    assert amount.validate_python(300) == Decimal("300.00")
    assert amount.validate_python("4250.5") == Decimal("4250.50")
    assert amount.validate_python(0.1) == Decimal("0.10")
    for bad in (0, -1, "abc", True, float("nan"), "Infinity", None):
        with pytest.raises(ValidationError, match="must be a positive amount"):
            amount.validate_python(bad)
    with pytest.raises(ValidationError, match="at most two decimals"):
        amount.validate_python("1.005")
    assert amount.validate_python("9999999999.99") == Decimal("9999999999.99")
    for huge in (1e30, "1e40", 10**40):
        with pytest.raises(ValidationError, match=r"must be at most 9999999999\.99"):
            amount.validate_python(huge)


def test_rates_are_fractions_between_0_and_1():
    rate = TypeAdapter(Rate)
    assert rate.validate_python(0) == Decimal("0")
    assert rate.validate_python(0.003) == Decimal("0.003")
    assert rate.validate_python(1) == Decimal("1")
    for bad in (-0.01, 1.01, 8, "8%", True):
        with pytest.raises(ValidationError, match="must be a rate between 0 and 1"):
            rate.validate_python(bad)


def test_years_are_keys_between_1990_and_2100():
    year = TypeAdapter(Year)
    assert year.validate_python(2026) == 2026
    assert year.validate_python("2026") == 2026
    with pytest.raises(ValidationError, match="must be a year such as 2026"):
        year.validate_python("next")
    with pytest.raises(ValidationError, match="between 1990 and 2100"):
        year.validate_python(1989)


# ---------------------------------------------------------------- per-year money rules


def test_rule_for_year_takes_the_latest_key_not_after_the_year():
    table = {2000: "a", 2006: "b", 2019: "c"}
    assert rule_for_year(table, 1999) is None
    assert rule_for_year(table, 2000) == "a"
    assert rule_for_year(table, 2005) == "a"
    assert rule_for_year(table, 2006) == "b"
    assert rule_for_year(table, 2018) == "b"
    assert rule_for_year(table, 2019) == "c"
    assert rule_for_year(table, 2099) == "c"
    assert rule_for_year({}, 2026) is None


def test_rule_for_year_does_not_depend_on_key_order():
    assert rule_for_year({2019: "c", 2000: "a", 2006: "b"}, 2010) == "b"


def test_rule_for_year_on_the_shipped_money_tables():
    cities = load_cities(SHIPPED_CITIES, THEMES, BASE, MODULES)
    binzhou = cities.get("binzhou").config.modules
    contributions = binzhou.contributions.years
    assert rule_for_year(contributions, 2025).base_min == Decimal("3300.00")
    assert rule_for_year(contributions, 2026).base_max == Decimal("21250.00")
    assert rule_for_year(contributions, 1999) is None
    assert rule_for_year(contributions, 2010).rates["pension"].individual == Decimal("0.08")
    medical = binzhou.payments.resident_medical.years
    assert rule_for_year(medical, 2030).amount == Decimal("420.00")
    grades = rule_for_year(binzhou.payments.resident_pension.years, 2027).grades
    assert grades[0] == Decimal("300.00")
    dezhou = cities.get("dezhou").config.modules
    assert rule_for_year(dezhou.payments.flexible.years, 2026).rates["medical"] == Decimal("0.075")


def test_a_new_year_is_one_more_key(tmp_path):
    cities = copy_cities(tmp_path, "dezhou")

    def add_2027(data: dict) -> None:
        years = data["modules"]["payments"]["flexible"]["years"]
        rates = {"pension": 0.2, "medical": 0.07}
        years[2027] = {"base_min": 4300, "base_max": 21500, "rates": rates}

    edit_data(cities, "dezhou", add_2027)
    years = (
        load_cities(cities, THEMES, BASE, MODULES)
        .get("dezhou")
        .config.modules.payments.flexible.years
    )
    assert rule_for_year(years, 2026).base_min == Decimal("4100.00")
    assert rule_for_year(years, 2027).base_min == Decimal("4300.00")
    assert rule_for_year(years, 2040).rates["medical"] == Decimal("0.07")
