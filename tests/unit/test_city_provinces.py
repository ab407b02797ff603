"""Province settings that cities share: ``extends:`` in city.yaml (issue 14, part 3).

A city file may name a file (``cities/provinces/shandong.yaml``) whose keys it inherits:
mappings merge key by key, the city winning; anything else is replaced whole; ``null``
removes. Problems name the file where the bad value stands.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from shebao.cli import cli
from shebao.core.settings import PROJECT_ROOT
from shebao.registry import all_modules
from shebao.tenancy import loader
from shebao.tenancy.loader import CityConfigError, city_layers, load_cities
from tests.conftest import FIXTURE_CITIES, SHIPPED_CITIES

THEMES = PROJECT_ROOT / "themes"
MODULES = all_modules()
BASE = "localhost"
#: The validated configuration of each shipped city as it was before its shared keys moved
#: into cities/provinces/shandong.yaml (captured from the city files of that time).
BEFORE = Path(__file__).resolve().parent.parent / "fixtures" / "merged"
SHANDONG = "cities/provinces/shandong.yaml"


def copy_cities(tmp_path: Path) -> Path:
    cities = tmp_path / "cities"
    for name in ("binzhou", "dezhou", "provinces"):
        shutil.copytree(SHIPPED_CITIES / name, cities / name)
    return cities


def load_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def edit(path: Path, change) -> None:
    data = load_yaml(path)
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def problems(cities: Path) -> list[str]:
    with pytest.raises(CityConfigError) as caught:
        load_cities(cities, THEMES, BASE, MODULES)
    return caught.value.problems


def loaded(cities: Path) -> dict:
    return {city.code: city for city in load_cities(cities, THEMES, BASE, MODULES)}


def add_linhu(cities: Path, extends: str | None = "../provinces/shandong.yaml") -> Path:
    """The fixture city, copied in, optionally extending the Shandong file."""
    target = cities / "linhu"
    shutil.copytree(FIXTURE_CITIES / "linhu", target)
    if extends is not None:
        path = target / "city.yaml"
        path.write_text(f"extends: {extends}\n" + path.read_text(encoding="utf-8"), "utf-8")
    return target / "city.yaml"


# ---------------------------------------------------------------- the shipped cities


#: What was added to the cities after the fixture was captured (the move to the province file
#: must change nothing else): the pension estimator and the message centre with their menu
#: items (the message centre in a group of its own), the staff console.
ADDED_SINCE = {
    "modules": ("pension_estimate", "messages"),
    "top": ("staff",),
    "menu_items": ("pension_estimate.", "messages."),
}


def without_later_additions(config: dict) -> dict:
    config = {k: v for k, v in config.items() if k not in ADDED_SINCE["top"]}
    config["modules"] = {
        k: v for k, v in config["modules"].items() if k not in ADDED_SINCE["modules"]
    }
    config["menu"] = [
        {
            **group,
            "items": [
                item
                for item in group["items"]
                if not item["item"].startswith(ADDED_SINCE["menu_items"])
            ],
        }
        for group in config["menu"]
    ]
    config["menu"] = [group for group in config["menu"] if group["items"]]
    return config


@pytest.mark.parametrize("code", ["binzhou", "dezhou"])
def test_the_merged_configuration_of_each_shipped_city_is_unchanged(code):
    city = load_cities(SHIPPED_CITIES, THEMES, BASE, MODULES).get(code)
    before = json.loads((BEFORE / f"{code}.json").read_text(encoding="utf-8"))
    assert without_later_additions(city.config.model_dump(mode="json")) == before


def test_both_shipped_cities_extend_the_shandong_file_which_is_no_city():
    for code in ("binzhou", "dezhou"):
        assert load_yaml(SHIPPED_CITIES / code / "city.yaml")["extends"] == (
            "../provinces/shandong.yaml"
        )
    shandong = load_yaml(SHIPPED_CITIES / "provinces" / "shandong.yaml")
    assert "code" not in shandong and "extends" not in shandong
    assert shandong["auth"]["lockout"] == {"max_failures": 5, "minutes": 15}
    # What the cities do not share stays in each city file.
    assert "recovery" not in shandong["auth"]
    assert "base_min" not in shandong["modules"]["contributions"]["years"][2019]
    assert "work_injury" not in shandong["modules"]["contributions"]["years"][2019]["rates"]
    # The pension estimate's yearly figures and divisor table are the province's; the resident
    # basic amounts each city's.
    assert shandong["modules"]["pension_estimate"]["divisors"][60] == 139
    assert "resident" not in shandong["modules"]["pension_estimate"]
    codes = [city.code for city in load_cities(SHIPPED_CITIES, THEMES, BASE, MODULES)]
    assert codes == ["binzhou", "dezhou"]


# ---------------------------------------------------------------- merging


def test_a_city_overrides_an_inherited_mapping_key_by_key(tmp_path):
    cities = copy_cities(tmp_path)
    edit(cities / "binzhou" / "city.yaml", lambda d: d["auth"].update(lockout={"minutes": 60}))
    city = loaded(cities)
    assert city["binzhou"].config.auth.lockout.minutes == 60
    assert city["binzhou"].config.auth.lockout.max_failures == 5  # from the province
    assert city["dezhou"].config.auth.lockout.minutes == 15


def test_a_city_list_replaces_the_inherited_list_whole(tmp_path):
    cities = copy_cities(tmp_path)
    edit(
        cities / "dezhou" / "city.yaml",
        lambda d: d.update(locales={"available": ["zh_CN"]}),
    )
    city = loaded(cities)
    assert city["dezhou"].config.locales.available == ["zh_CN"]  # not zh_CN, en, zh_CN
    assert city["dezhou"].config.locales.default == "zh_CN"  # inherited, key by key
    assert city["binzhou"].config.locales.available == ["zh_CN", "en"]


def test_a_city_adds_one_key_to_an_inherited_year_and_keeps_the_rest(tmp_path):
    cities = copy_cities(tmp_path)
    rates = loaded(cities)["dezhou"].config.modules.contributions.years[2026].rates
    assert str(rates["work_injury"].employer) == "0.005"  # the city's own
    assert str(rates["pension"].employer) == "0.16"  # the province's


def test_null_removes_an_inherited_module(tmp_path):
    cities = copy_cities(tmp_path)
    path = add_linhu(cities)
    # Linhu offers no contribution history: the module the province file configures is
    # switched off with null.
    edit(path, lambda d: d["modules"].update(contributions=None))
    linhu = loaded(cities)["linhu"]
    assert not linhu.module_enabled("contributions")
    assert linhu.config.auth.lockout.max_failures == 3  # its own, over the province's 5
    assert linhu.config.auth.session_absolute_hours == 8  # inherited


def test_a_chain_of_files_is_merged_in_order(tmp_path):
    cities = copy_cities(tmp_path)
    (cities / "provinces" / "china.yaml").write_text(
        "auth: {sms: {daily_limit: 7, max_checks: 4}, session_idle_minutes: 20}\n", "utf-8"
    )
    shandong = cities / "provinces" / "shandong.yaml"
    shandong.write_text("extends: china.yaml\n" + shandong.read_text("utf-8"), "utf-8")
    edit(cities / "binzhou" / "city.yaml", lambda d: d["auth"].update(sms={"max_checks": 3}))
    city = loaded(cities)
    assert city["binzhou"].config.auth.sms.daily_limit == 7  # china.yaml
    assert city["binzhou"].config.auth.sms.max_checks == 3  # the city over china.yaml
    assert city["dezhou"].config.auth.sms.max_checks == 4
    assert city["dezhou"].config.auth.session_idle_minutes == 30  # shandong over china
    layers = city_layers(cities, "binzhou")
    assert layers.files == ["cities/binzhou/city.yaml", SHANDONG, "cities/provinces/china.yaml"]
    assert layers.source(("auth", "sms", "daily_limit")) == "cities/provinces/china.yaml"
    assert layers.source(("auth", "sms", "max_checks")) == "cities/binzhou/city.yaml"
    assert layers.source(("auth", "session_idle_minutes")) == SHANDONG


def test_each_shared_file_is_read_once_per_load(tmp_path, monkeypatch):
    cities = copy_cities(tmp_path)
    edit(add_linhu(cities), lambda d: d["modules"].update(contributions=None))
    reads: list[str] = []
    real = loader._read_yaml

    def counting(path, display):
        reads.append(display)
        return real(path, display)

    monkeypatch.setattr(loader, "_read_yaml", counting)
    assert sorted(loaded(cities)) == ["binzhou", "dezhou", "linhu"]
    assert reads.count(SHANDONG) == 1
    assert len(reads) == 4  # three city files and the province file


# ---------------------------------------------------------------- problems


def test_a_bad_value_in_the_province_file_is_reported_with_its_path_once(tmp_path):
    cities = copy_cities(tmp_path)
    edit(cities / "provinces" / "shandong.yaml", lambda d: d["auth"]["lockout"].update(minutes=0))
    assert problems(cities) == [
        f"{SHANDONG}: auth.lockout.minutes: Input should be greater than or equal to 1"
    ]


def test_a_bad_value_in_the_province_file_that_a_city_overrides_is_met_by_the_other(tmp_path):
    cities = copy_cities(tmp_path)
    shandong = cities / "provinces" / "shandong.yaml"
    edit(
        shandong,
        lambda d: d["modules"]["contributions"]["years"][2019]["rates"].update(
            pension={"individual": 8, "employer": 0.16}
        ),
    )
    edit(
        cities / "binzhou" / "city.yaml",
        lambda d: d["modules"]["contributions"]["years"][2019]["rates"].update(
            pension={"individual": 0.08}
        ),
    )
    assert problems(cities) == [
        f"{SHANDONG}: modules.contributions.years.2019.rates.pension.individual: "
        "must be a rate between 0 and 1, such as 0.08"
    ]
    edit(
        cities / "dezhou" / "city.yaml",
        lambda d: d["modules"]["contributions"]["years"][2019]["rates"].update(
            pension={"individual": 0.08}
        ),
    )
    assert sorted(loaded(cities)) == ["binzhou", "dezhou"]


def test_a_bad_value_in_the_city_is_reported_in_the_city_file(tmp_path):
    cities = copy_cities(tmp_path)
    edit(cities / "dezhou" / "city.yaml", lambda d: d["auth"].update(lockout={"foo": 1}))
    assert problems(cities) == ["cities/dezhou/city.yaml: auth.lockout.foo: unknown key"]


def test_a_province_value_failing_a_cross_check_names_the_province_file(tmp_path):
    cities = copy_cities(tmp_path)
    edit(cities / "provinces" / "shandong.yaml", lambda d: d.update(theme="purple"))
    edit(cities / "binzhou" / "city.yaml", lambda d: d.pop("theme"))
    found = problems(cities)
    assert len(found) == 1
    assert found[0].startswith(f"{SHANDONG}: theme: unknown theme 'purple'")


def test_a_key_missing_from_an_inherited_mapping_is_the_citys_to_add(tmp_path):
    cities = copy_cities(tmp_path)
    add_linhu(cities)  # Linhu sets no contribution bases, so the inherited years lack them
    found = problems(cities)
    assert (
        "cities/linhu/city.yaml: modules.contributions.years.2000.base_min: is required "
        f"(the mapping around it comes from {SHANDONG})"
    ) in found
    assert all(p.startswith("cities/linhu/city.yaml: ") for p in found), found


def test_invalid_yaml_in_the_province_file_names_it_and_its_line_once(tmp_path):
    cities = copy_cities(tmp_path)
    shandong = cities / "provinces" / "shandong.yaml"
    shandong.write_text(shandong.read_text("utf-8") + "locales: {}\n", "utf-8")
    found = problems(cities)
    assert len(found) == 1
    assert found[0].startswith(f"{SHANDONG}: line ")
    assert found[0].endswith("not valid YAML: key 'locales' is given twice")


def test_a_file_extending_itself_is_a_cycle(tmp_path):
    cities = copy_cities(tmp_path)
    shandong = cities / "provinces" / "shandong.yaml"
    shandong.write_text("extends: ./shandong.yaml\n" + shandong.read_text("utf-8"), "utf-8")
    assert problems(cities) == [
        f"{SHANDONG}: extends: makes a cycle (cities/binzhou/city.yaml → {SHANDONG} → "
        f"{SHANDONG}); a file cannot extend itself, directly or through others",
        f"{SHANDONG}: extends: makes a cycle (cities/dezhou/city.yaml → {SHANDONG} → "
        f"{SHANDONG}); a file cannot extend itself, directly or through others",
    ]


def test_a_province_extending_a_city_that_extends_it_is_a_cycle(tmp_path):
    cities = copy_cities(tmp_path)
    shandong = cities / "provinces" / "shandong.yaml"
    shandong.write_text("extends: ../binzhou/city.yaml\n" + shandong.read_text("utf-8"), "utf-8")
    found = problems(cities)
    assert found[0] == (
        f"{SHANDONG}: extends: makes a cycle (cities/binzhou/city.yaml → {SHANDONG} → "
        "cities/binzhou/city.yaml); a file cannot extend itself, directly or through others"
    )


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("../../outside.yaml", "'../../outside.yaml' leads outside the cities folder"),
        ("../provinces/../../outside.yaml", "leads outside the cities folder"),
        ("/etc/shandong.yaml", "must be a path relative to this file"),
        ("~/shandong.yaml", "must be a path relative to this file"),
        ("../provinces/hebei.yaml", "'../provinces/hebei.yaml': no such file"),
        ("../provinces/shandong.json", "must name a .yaml file"),
        ("", "must be the path of a YAML file relative to this file"),
        (["../provinces/shandong.yaml"], "must be the path of a YAML file"),
        (None, "must be the path of a YAML file"),
    ],
)
def test_a_bad_extends_is_refused_with_a_clear_reason(tmp_path, value, reason):
    cities = copy_cities(tmp_path)
    (tmp_path / "outside.yaml").write_text("auth: {lockout: {minutes: 1}}\n", "utf-8")
    edit(cities / "dezhou" / "city.yaml", lambda d: d.update(extends=value))
    found = problems(cities)
    assert len(found) == 1, found
    assert found[0].startswith("cities/dezhou/city.yaml: extends: "), found
    assert reason in found[0]


def test_a_symlink_is_judged_by_where_it_stands_not_where_it_points(tmp_path):
    """Cities and provinces linked into a cities folder (as the tests' folders are) work."""
    cities = tmp_path / "cities"
    cities.mkdir()
    for name in ("binzhou", "dezhou", "provinces"):
        os.symlink(SHIPPED_CITIES / name, cities / name, target_is_directory=True)
    assert sorted(loaded(cities)) == ["binzhou", "dezhou"]


def test_a_city_file_in_the_provinces_folder_is_refused(tmp_path):
    cities = copy_cities(tmp_path)
    shutil.copy(cities / "binzhou" / "city.yaml", cities / "provinces" / "city.yaml")
    assert problems(cities) == [
        "cities/provinces/city.yaml: (top level): the provinces/ folder holds files that "
        "cities share, not a city: give the city a folder of its own"
    ]


# ---------------------------------------------------------------- the commands


@pytest.fixture
def run(monkeypatch):
    for name in list(os.environ):
        if name.startswith("SHEBAO_"):
            monkeypatch.delenv(name)

    def invoke(*args: str, **env: str):
        return CliRunner(env=env).invoke(cli, list(args), catch_exceptions=False)

    return invoke


def test_check_reports_a_province_error_with_the_province_path(run, tmp_path):
    cities = copy_cities(tmp_path)
    edit(cities / "provinces" / "shandong.yaml", lambda d: d["locales"].update(default="fr"))
    result = run("check", "--cities-dir", str(cities))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith(f"{SHANDONG}: locales.default: ")
    assert result.stderr.splitlines()[-1] == "1 problem(s) found."


def test_cities_show_prints_each_value_with_its_file(run):
    result = run("cities", "--show", "binzhou")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"# cities/binzhou/city.yaml, extends {SHANDONG}"
    assert lines[1] == 'code: "binzhou"  # cities/binzhou/city.yaml'
    assert f"auth.lockout.max_failures: 5  # {SHANDONG}" in lines
    assert 'auth.registration.methods: ["card", "sms"]  # cities/binzhou/city.yaml' in lines
    assert f"modules.contributions.years.2026.rates.pension.employer: 0.16  # {SHANDONG}" in lines
    assert (
        "modules.contributions.years.2026.rates.work_injury.employer: 0.004"
        "  # cities/binzhou/city.yaml"
    ) in lines
    assert 'menu[0].key: "account"  # cities/binzhou/city.yaml' in lines
    assert all(line.endswith(("# cities/binzhou/city.yaml", f"# {SHANDONG}")) for line in lines[1:])


def test_cities_show_names_an_override_by_the_city(run, tmp_path):
    cities = copy_cities(tmp_path)
    edit(cities / "dezhou" / "city.yaml", lambda d: d["auth"].update(lockout={"minutes": 45}))
    result = run("cities", "--show", "dezhou", SHEBAO_CITIES_DIR=str(cities))
    assert result.exit_code == 0, result.output
    assert "auth.lockout.minutes: 45  # cities/dezhou/city.yaml" in result.stdout
    assert f"auth.lockout.max_failures: 5  # {SHANDONG}" in result.stdout


def test_cities_show_of_an_unknown_city_says_which_exist(run):
    result = run("cities", "--show", "provinces")
    assert result.exit_code == 1
    assert "unknown city 'provinces' (known: binzhou, dezhou)" in result.stderr
