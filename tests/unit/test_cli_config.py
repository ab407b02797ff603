"""The deployment engineer's commands for city YAML: ``shebao check``, ``schema``, ``cities``."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from shebao.cli import cli
from shebao.core.settings import PROJECT_ROOT, Settings
from shebao.registry import all_modules
from shebao.tenancy.docs import json_schema, render_outputs
from tests.conftest import FIXTURE_CITIES, SHIPPED_CITIES, make_cities_dir

SCHEMA_FILE = PROJECT_ROOT / "cities" / "city.schema.json"
DOCS_FILE = PROJECT_ROOT / "docs" / "city-yaml.md"
SCHEMA_LINE = "# yaml-language-server: $schema=../city.schema.json"


@pytest.fixture
def run(monkeypatch):
    """Invoke ``shebao …`` in a clean environment (only the SHEBAO_* variables given)."""
    for name in list(os.environ):
        if name.startswith("SHEBAO_"):
            monkeypatch.delenv(name)

    def invoke(*args: str, **env: str):
        # stdout and stderr are kept apart (click ≥ 8.2: result.stdout / result.stderr).
        return CliRunner(env=env).invoke(cli, list(args), catch_exceptions=False)

    return invoke


def copy_shipped(tmp_path: Path) -> Path:
    cities = tmp_path / "cities"
    cities.mkdir()
    for code in ("binzhou", "dezhou", "provinces"):
        shutil.copytree(SHIPPED_CITIES / code, cities / code)
    return cities


def edit(cities: Path, code: str, change) -> None:
    path = cities / code / "city.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


# ---------------------------------------------------------------- shebao check


def test_check_passes_on_the_shipped_cities_and_prints_each_city(run):
    result = run("check", "--cities-dir", str(SHIPPED_CITIES))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "ok  binzhou: binzhou.localhost",
        "ok  dezhou: dezhou.localhost",
    ]
    assert result.stderr == ""


def test_check_without_options_checks_the_configured_cities_folder(run):
    result = run("check")
    assert result.exit_code == 0, result.output
    assert "ok  binzhou" in result.stdout
    assert "ok  dezhou" in result.stdout


def test_check_reads_the_cities_folder_and_base_domain_from_the_environment(run, tmp_path):
    cities = make_cities_dir(tmp_path / "cities", SHIPPED_CITIES, FIXTURE_CITIES)
    result = run("check", SHEBAO_CITIES_DIR=str(cities), SHEBAO_BASE_DOMAIN="si.example.cn")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "ok  binzhou: binzhou.si.example.cn",
        "ok  dezhou: dezhou.si.example.cn",
        "ok  linhu: linhu.si.example.cn, si.linhu.example.cn",
    ]


def test_check_fails_on_a_broken_copy_with_path_qualified_messages_on_stderr(run, tmp_path):
    cities = copy_shipped(tmp_path)

    def break_binzhou(data):
        data["auth"]["lockout"] = {"foo": 1}
        data["modules"]["payments"]["resident_pension"]["years"][2026]["grades"][2] = -800

    edit(cities, "binzhou", break_binzhou)
    edit(cities, "dezhou", lambda data: data["menu"][3]["items"].append("card.report_loss"))
    result = run("check", "--cities-dir", str(cities))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "cities/binzhou/city.yaml: auth.lockout.foo: unknown key",
        "cities/binzhou/city.yaml: "
        "modules.payments.resident_pension.years.2026.grades[2]: must be a positive amount",
        "cities/dezhou/city.yaml: menu[3].items[3].item: "
        "page 'card.report_loss' is switched off in modules.card",
        "3 problem(s) found.",
    ]


def test_check_reports_invalid_yaml_with_its_line(run, tmp_path):
    cities = copy_shipped(tmp_path)
    path = cities / "dezhou" / "city.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "menu: []\n", encoding="utf-8")
    result = run("check", "--cities-dir", str(cities))
    assert result.exit_code == 1
    assert re.match(
        r"cities/dezhou/city\.yaml: line \d+, column 1: not valid YAML: key 'menu' is given twice$",
        result.stderr.splitlines()[0],
    )
    assert result.stderr.splitlines()[-1] == "1 problem(s) found."


def test_check_fails_on_a_folder_without_cities(run, tmp_path):
    result = run("check", "--cities-dir", str(tmp_path))
    assert result.exit_code == 1
    assert "holds no <city>/city.yaml" in result.stderr


def test_check_refuses_bad_process_settings(run):
    result = run("check", SHEBAO_ENV="staging")
    assert result.exit_code == 1
    assert "SHEBAO_ENV: must be one of development, production" in result.stderr


# ---------------------------------------------------------------- shebao schema


def test_the_committed_schema_and_docs_are_fresh(run):
    result = run("schema", "--check")
    assert result.exit_code == 0, result.output
    assert "up to date" in result.stdout


def test_the_committed_files_equal_what_the_models_generate():
    """Fails when a model changed and `shebao schema` was not run."""
    outputs = render_outputs(Settings.from_env({}), all_modules())
    assert set(outputs) == {SCHEMA_FILE, DOCS_FILE}
    for path, content in outputs.items():
        assert path.read_text(encoding="utf-8") == content, f"{path} is stale: run `shebao schema`"


def test_schema_check_fails_on_stale_files_and_schema_rewrites_them(run, tmp_path):
    cities = tmp_path / "cities"
    cities.mkdir()
    (tmp_path / "docs").mkdir()
    (cities / "city.schema.json").write_text("{}\n", encoding="utf-8")
    env = {"SHEBAO_CITIES_DIR": str(cities)}

    stale = run("schema", "--check", **env)
    assert stale.exit_code == 1
    assert "stale:" in stale.stderr
    assert str(cities / "city.schema.json") in stale.stderr
    assert str(tmp_path / "docs" / "city-yaml.md") in stale.stderr
    assert (cities / "city.schema.json").read_text(encoding="utf-8") == "{}\n"
    assert not (tmp_path / "docs" / "city-yaml.md").exists()

    written = run("schema", **env)
    assert written.exit_code == 0, written.output
    assert f"wrote {cities / 'city.schema.json'}" in written.stdout
    assert (cities / "city.schema.json").read_text(encoding="utf-8") == SCHEMA_FILE.read_text(
        encoding="utf-8"
    )
    assert (tmp_path / "docs" / "city-yaml.md").read_text(encoding="utf-8") == DOCS_FILE.read_text(
        encoding="utf-8"
    )

    again = run("schema", "--check", **env)
    assert again.exit_code == 0, again.output


def test_the_committed_schema_is_the_json_schema_of_the_models():
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == json_schema(all_modules())
    assert committed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    root = committed["$defs"]["CityConfig"]
    assert root["additionalProperties"] is False
    assert root["properties"]["modules"]["$ref"] == "#/$defs/Modules"
    assert set(committed["$defs"]["Modules"]["properties"]) == set(all_modules())


def test_the_schema_is_strict_for_a_whole_city_and_lenient_for_a_part_of_one():
    """A city file with code and no extends → every required key; a province file or a city
    that extends one → the partial definitions, in which nothing is required."""
    schema = json_schema(all_modules())
    assert schema["if"] == {"required": ["code"], "not": {"required": ["extends"]}}
    assert schema["then"] == {"$ref": "#/$defs/CityConfig"}
    assert schema["else"] == {"$ref": "#/$defs/PartialCityConfig"}
    defs = schema["$defs"]
    assert "theme" in defs["CityConfig"]["required"]
    assert "extends" in defs["CityConfig"]["properties"]
    assert "extends" in defs["PartialCityConfig"]["properties"]
    for name, node in defs.items():
        if name.startswith("Partial"):
            text = json.dumps(node)
            assert '"required"' not in text, name
            assert all(
                ref.startswith("#/$defs/Partial") for ref in re.findall(r'"\$ref": "([^"]+)"', text)
            ), name
        else:
            assert f"Partial{name}" in defs
    assert defs["PartialBranding"]["properties"].keys() == defs["Branding"]["properties"].keys()


def _key_rows(markdown: str) -> list[list[str]]:
    rows = []
    for line in markdown.splitlines():
        if line.startswith("| `"):
            cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
            rows.append(cells)
    return rows


def test_every_key_in_the_docs_has_a_meaning():
    rows = _key_rows(DOCS_FILE.read_text(encoding="utf-8"))
    assert len(rows) > 100
    assert all(len(row) == 4 for row in rows), [row for row in rows if len(row) != 4]
    empty = [row[0] for row in rows if not row[3]]
    assert empty == [], f"keys without a docstring: {empty}"


def test_the_docs_list_every_module_and_its_options():
    text = DOCS_FILE.read_text(encoding="utf-8")
    for name, module in all_modules().items():
        assert f"| `modules.{name}` |" in text
        assert f"| `modules.{name}.enabled` |" in text
        for field in module.options.model_fields:
            assert f"| `modules.{name}.{field}` |" in text


# ---------------------------------------------------------------- shebao cities


def test_cities_prints_the_matrix_of_cities_and_modules(run):
    result = run("cities")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["binzhou", "dezhou"]
    for name in all_modules():
        assert any(line.split()[:2] == ["module", name] for line in lines), name
    rows = {" ".join(line.split()[:2]): line.split()[2:] for line in lines[2:]}
    assert rows["module account"] == ["yes", "yes"]
    assert rows["module todo"] == ["-", "yes"]
    assert rows["module printing"] == ["yes", "-"]
    assert rows["module card_collection"] == ["-", "yes"]
    assert rows["auth default-password"] == ["-", "yes"]
    assert rows["auth register:card+sms"] == ["yes", "-"]


def test_cities_includes_every_city_of_the_configured_folder(run, tmp_path):
    cities = make_cities_dir(tmp_path / "cities", SHIPPED_CITIES, FIXTURE_CITIES)
    result = run("cities", SHEBAO_CITIES_DIR=str(cities))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].split() == ["binzhou", "dezhou", "linhu"]


def test_cities_fails_with_the_problems_when_a_city_is_broken(run, tmp_path):
    cities = copy_shipped(tmp_path)
    edit(cities, "binzhou", lambda data: data.update(theme="purple"))
    result = run("cities", SHEBAO_CITIES_DIR=str(cities))
    assert result.exit_code == 1
    assert "cities/binzhou/city.yaml: theme: unknown theme 'purple'" in result.stderr


# ---------------------------------------------------------------- city files name the schema


@pytest.mark.parametrize("code", ["binzhou", "dezhou"])
def test_every_shipped_city_file_names_the_schema_on_its_first_line(code):
    first = (SHIPPED_CITIES / code / "city.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == SCHEMA_LINE


def test_every_city_folder_is_a_shipped_city_with_the_schema_line():
    folders = sorted(p.name for p in SHIPPED_CITIES.iterdir() if (p / "city.yaml").is_file())
    assert folders == ["binzhou", "dezhou"]


@pytest.mark.parametrize(
    "path",
    [SHIPPED_CITIES / "binzhou" / "city.yaml", SHIPPED_CITIES / "dezhou" / "city.yaml"]
    + sorted(FIXTURE_CITIES.glob("*/city.yaml")),
    ids=lambda path: path.parent.name,
)
def test_the_schema_named_by_a_city_file_is_the_committed_one(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match, f"{path}: first line must be '# yaml-language-server: $schema=…'"
    assert (path.parent / match.group(1)).resolve() == SCHEMA_FILE
