"""The JSON Schema of city.yaml and the key reference generated from it (docs/city-yaml.md)."""

from __future__ import annotations

import json
from pathlib import Path

from ..core.settings import Settings
from .modules import ModuleCatalogue
from .schema import city_config_model

ROOT = "CityConfig"
PARTIAL = "Partial"
EXTENDS_SCHEMA = {
    "type": "string",
    "pattern": r"^[^/~].*\.ya?ml$",
    "description": "A file whose keys this file inherits, relative to this file, such as "
    "../provinces/shandong.yaml (inside the cities folder). Mappings merge key by key, this "
    "file winning; lists and single values replace the inherited ones whole; null removes an "
    "inherited optional value (a module, for one). That file may extend another in turn.",
}


def _partial(node):
    """``node`` with nothing required and every ``$ref`` leading to the partial definitions."""
    if isinstance(node, list):
        return [_partial(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {}
    for key, value in node.items():
        if key == "required" and isinstance(value, list):
            continue
        if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
            result[key] = "#/$defs/" + PARTIAL + value.rsplit("/", 1)[-1]
            continue
        result[key] = _partial(value)
    return result


def json_schema(catalogue: ModuleCatalogue) -> dict:
    """The schema of city.yaml and of the files cities extend (cities/provinces/*.yaml).

    A city file with ``code`` and no ``extends`` must be complete (``$defs/CityConfig``); any
    other file — a city that extends a province file, or the province file — holds part of a
    configuration, so nothing in it is required (``$defs/PartialCityConfig``): the merged
    whole is what ``shebao check`` validates.
    """
    model = city_config_model(catalogue).model_json_schema()
    defs = model.pop("$defs", {})
    model["properties"] = {"extends": EXTENDS_SCHEMA, **model["properties"]}
    defs[ROOT] = model
    defs.update({PARTIAL + name: _partial(node) for name, node in list(defs.items())})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": model["title"],
        "description": "A complete city.yaml, or a part of one: a city.yaml that extends "
        "another file, or a file that cities extend (cities/provinces/*.yaml).",
        "if": {"required": ["code"], "not": {"required": ["extends"]}},
        "then": {"$ref": f"#/$defs/{ROOT}"},
        "else": {"$ref": f"#/$defs/{PARTIAL}{ROOT}"},
        "$defs": defs,
    }


def _type_of(node: dict, defs: dict) -> str:
    if "$ref" in node:
        return node["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in node:
        kinds = [_type_of(option, defs) for option in node["anyOf"]]
        return " or ".join(dict.fromkeys(k for k in kinds if k != "null")) + (
            " (optional)" if any(o.get("type") == "null" for o in node["anyOf"]) else ""
        )
    if "enum" in node:
        return "one of " + ", ".join(f"`{v}`" for v in node["enum"])
    if "const" in node:
        return f"`{node['const']}`"
    kind = node.get("type", "any")
    if kind == "array":
        return f"list of {_type_of(node.get('items', {}), defs)}"
    if (
        kind == "object"
        and "additionalProperties" in node
        and isinstance(node["additionalProperties"], dict)
    ):
        return f"mapping to {_type_of(node['additionalProperties'], defs)}"
    return kind


def _rows(properties: dict, required: list, prefix: str, defs: dict, seen: set) -> list[str]:
    rows = []
    for key, node in properties.items():
        path = f"{prefix}{key}"
        default = node.get("default")
        default_text = (
            "required"
            if key in required
            else ("—" if default is None else f"`{json.dumps(default, ensure_ascii=False)}`")
        )
        description = (node.get("description") or "").replace("\n", " ").replace("|", "\\|")
        rows.append(f"| `{path}` | {_type_of(node, defs)} | {default_text} | {description} |")
        for suffix, target in _refs(node):
            if target in defs and (path, target) not in seen:
                seen.add((path, target))
                sub = defs[target]
                rows += _rows(
                    sub.get("properties", {}),
                    sub.get("required", []),
                    path + suffix + ".",
                    defs,
                    seen,
                )
    return rows


def _refs(node: dict, suffix: str = "") -> list[tuple[str, str]]:
    """Model definitions reachable from ``node``, with the path suffix that leads there."""
    found = []
    if "$ref" in node:
        found.append((suffix, node["$ref"].rsplit("/", 1)[-1]))
    for option in node.get("anyOf", []):
        found += _refs(option, suffix)
    if "items" in node:
        found += _refs(node["items"], suffix + "[]")
    if isinstance(node.get("additionalProperties"), dict):
        found += _refs(node["additionalProperties"], suffix + ".<key>")
    return found


def markdown(schema: dict) -> str:
    defs = schema.get("$defs", {})
    root = defs.get(ROOT, schema)
    lines = [
        "# city.yaml reference",
        "",
        "Generated by `shebao schema` from the pydantic models in `platform/shebao/tenancy/` and",
        "each module's options; do not edit by hand (a test fails when it is stale).",
        "",
        "Every city is `cities/<code>/city.yaml`. Unknown keys are errors. A *label* is one string",
        "for every language, or a mapping `{zh_CN: …, en: …}`. Money is in yuan with at most two",
        "decimals; rates are fractions (0.08 = 8 %). Per-year tables (`years:`) are keyed by the",
        "first year a rule is in force; it applies until the next key, so a new year is one more key.",
        "A list item `[n]` is written `[]` below. `shebao check` validates every city.",
        "",
        "## Settings that cities share (`extends`)",
        "",
        "A city.yaml may start with `extends: ../provinces/shandong.yaml`: a file, relative to",
        "the city file and inside the cities folder, whose keys the city inherits. Both shipped",
        "cities extend `cities/provinces/shandong.yaml`, which holds what Shandong sets for all",
        "its cities. The rule of the merge:",
        "",
        "- a **mapping** merges key by key: the city's keys win, the keys it does not name are",
        "  inherited (so `auth: {recovery: …}` in the city keeps the province's `auth.lockout`);",
        "  per-year tables are mappings too, so a city may add a year or one key of a year;",
        "- **anything else** — a list, a string, a number, `true`/`false` — replaces the",
        "  inherited value **whole** (a city's `banks:` or `types:` list is never appended to);",
        "- `null` removes an inherited optional value: `modules: {payments: null}` switches off",
        "  a module that the province file configures.",
        "",
        "A province file may itself extend another file (a chain); a file that leads back to",
        "itself is refused, as is a path that leaves the cities folder. Only the merged result",
        "is validated: a problem is reported in the file where the bad value stands (the",
        "province file when the value came from it), and `shebao cities --show <code>` prints",
        "the merged configuration with the file each value comes from. The `provinces/` folder",
        "is never a city. The JSON Schema (`cities/city.schema.json`) checks a complete city",
        "file strictly and a partial one (a province file, or a city file with `extends`)",
        "without required keys.",
        "",
        "## Keys",
        "",
        "| key | type | default | meaning |",
        "| --- | --- | --- | --- |",
    ]
    lines += _rows(root.get("properties", {}), root.get("required", []), "", defs, set())
    lines.append("")
    return "\n".join(lines)


def render_outputs(settings: Settings, catalogue: ModuleCatalogue) -> dict[Path, str]:
    """city.schema.json and docs/city-yaml.md, by path."""
    schema = json_schema(catalogue)
    return {
        settings.cities_dir / "city.schema.json": json.dumps(schema, ensure_ascii=False, indent=2)
        + "\n",
        settings.cities_dir.parent / "docs" / "city-yaml.md": markdown(schema),
    }
