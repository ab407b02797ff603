"""Loading and checking city YAML.

``load_cities`` reads every ``<cities_dir>/<code>/city.yaml``, validates it with the schema
and then with the checks that span files (menu against modules, hosts across cities, themes
on disk). Every problem is reported as ``<file>: <key path>: <reason>``; one bad city stops
the app from starting (and makes ``shebao check`` fail), listing all problems at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .city import City, CityDirectory
from .modules import ModuleCatalogue
from .schema import city_config_model, enabled_module_names

CITY_FILE = "city.yaml"


class CityConfigError(Exception):
    """One or more city files are invalid; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("invalid city configuration:\n" + "\n".join(problems))


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a key given twice in one mapping (PyYAML keeps the last)."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            hash(key)
        except TypeError:
            reason = "a key must be a plain value, not a list or mapping"
            raise yaml.constructor.ConstructorError(
                None, None, reason, key_node.start_mark
            ) from None
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} is given twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _FastUniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The same with libyaml's parser when PyYAML was built with it (the wheels are): the
    pure-Python parser took most of a start-up, seconds a city on a busy 2-core machine (bench
    B3). A file it refuses is read again by ``_UniqueKeyLoader``, whose messages say more
    (libyaml does not name the character it cannot read)."""


_FastUniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


def _load_yaml(text: str):
    try:
        return yaml.load(text, Loader=_FastUniqueKeyLoader)
    except yaml.YAMLError:
        return yaml.load(text, Loader=_UniqueKeyLoader)


def format_loc(loc: Iterable[Any], data: Any = None) -> str:
    """``("menu", 2, "items", 0)`` → ``menu[2].items[0]``.

    With ``data`` (the parsed YAML the location points into), a number that is a mapping key
    (a year of a money table) is written ``years.2026``, not ``years[2026]`` like a list index.
    """
    path = ""
    for part in loc:
        if isinstance(part, int) and not isinstance(data, dict):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + str(part)
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            data = None
    return path or "(top level)"


def _reason(error: dict) -> str:
    message = error["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            message = message[len(prefix) :]
    if error["type"] == "extra_forbidden":
        return "unknown key"
    if error["type"] == "missing":
        return "is required"
    if error["loc"] and error["loc"][-1] == "[key]":
        return f"invalid key: {message}"
    return message


def _key_loc(loc: tuple) -> tuple:
    """An invalid mapping key is reported at the key itself (the ``[key]`` marker dropped)."""
    return loc[:-1] if loc and loc[-1] == "[key]" else loc


def _display(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return str(path.relative_to(root.parent))
        except ValueError:
            pass
    return str(path)


def parse_city_file(path: Path, catalogue: ModuleCatalogue, display: str | None = None):
    """Parse and validate one city file; return ``(config, problems)``."""
    display = display or str(path)
    try:
        raw = _load_yaml(path.read_text(encoding="utf-8"))
    except OSError as error:
        return None, [f"{display}: cannot be read: {error.strerror}"]
    except UnicodeDecodeError:
        return None, [f"{display}: must be UTF-8 text"]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        return None, [f"{display}: {where}not valid YAML: {problem}"]
    if not isinstance(raw, dict):
        return None, [f"{display}: (top level): must be a mapping of keys to values"]
    try:
        return city_config_model(catalogue).model_validate(raw), []
    except ValidationError as error:
        return None, [
            f"{display}: {format_loc(_key_loc(e['loc']), raw)}: {_reason(e)}"
            for e in error.errors()
        ]


def check_city(
    config, folder: Path, themes_dir: Path, catalogue: ModuleCatalogue
) -> Iterator[tuple[str, str]]:
    """The checks that the schema alone cannot make; yields ``(key path, reason)``."""
    if config.code != folder.name:
        yield "code", f"must equal the folder name {folder.name!r}"
    if not (themes_dir / config.theme).is_dir():
        known = (
            sorted(p.name for p in themes_dir.iterdir() if p.is_dir())
            if themes_dir.is_dir()
            else []
        )
        yield "theme", f"unknown theme {config.theme!r} (known: {', '.join(known) or 'none'})"
    for name, options in config.modules:
        if options is not None and not options.enabled and catalogue[name].core:
            reason = f"module {name!r} cannot be switched off (every city has it)"
            yield f"modules.{name}.enabled", reason
    enabled = enabled_module_names(config, catalogue)
    seen_items: dict[tuple[str, str], str] = {}
    seen_groups: set[str] = set()
    for g, group in enumerate(config.menu):
        if group.key in seen_groups:
            yield f"menu[{g}].key", f"group {group.key!r} appears twice"
        seen_groups.add(group.key)
        for i, menu_item in enumerate(group.items):
            path = f"menu[{g}].items[{i}].item"
            module_name, _, key = menu_item.item.partition(".")
            module = catalogue.get(module_name)
            if module is None:
                yield (
                    path,
                    f"unknown module {module_name!r} (known: {', '.join(sorted(catalogue))})",
                )
                continue
            if module_name not in enabled:
                yield path, f"module {module_name!r} is not enabled in modules.{module_name}"
                continue
            entry = module.entry(key)
            if entry is None:
                known = ", ".join(e.key for e in module.entries)
                yield path, f"module {module_name!r} has no page {key!r} (it has: {known})"
                continue
            options = getattr(config.modules, module_name, None)
            if options is not None and not options.entry_enabled(key):
                yield path, f"page {menu_item.item!r} is switched off in modules.{module_name}"
                continue
            if (group.key, menu_item.item) in seen_items:
                first = seen_items[(group.key, menu_item.item)]
                yield path, f"{menu_item.item!r} is already in this group at {first}"
            seen_items.setdefault((group.key, menu_item.item), path)


def load_cities(
    cities_dir: Path, themes_dir: Path, base_domain: str, catalogue: ModuleCatalogue
) -> CityDirectory:
    """Load and check every city; raise ``CityConfigError`` listing every problem."""
    problems: list[str] = []
    cities: list[City] = []
    if not cities_dir.is_dir():
        raise CityConfigError([f"{cities_dir}: the cities folder does not exist"])
    folders = sorted(p for p in cities_dir.iterdir() if p.is_dir() and (p / CITY_FILE).is_file())
    if not folders:
        raise CityConfigError([f"{cities_dir}: holds no <city>/{CITY_FILE}"])
    for folder in folders:
        path = folder / CITY_FILE
        display = _display(path, cities_dir)
        config, file_problems = parse_city_file(path, catalogue, display)
        problems += file_problems
        if config is None:
            continue
        city_problems = [
            f"{display}: {p}: {r}" for p, r in check_city(config, folder, themes_dir, catalogue)
        ]
        problems += city_problems
        if not city_problems:
            cities.append(
                City(
                    config=config,
                    root=folder,
                    themes_dir=themes_dir,
                    catalogue=catalogue,
                    source=display,
                )
            )
    # Every city's own <code>.<base domain> first, so that a clash is reported at the
    # ``hosts`` entry that claims another city's host, not at the innocent city's ``code``.
    hosts: dict[str, City] = {}
    claims = [
        (city, index, host) for city in cities for index, host in enumerate(city.hosts(base_domain))
    ]
    for city, index, host in sorted(claims, key=lambda claim: claim[1] > 0):
        other = hosts.get(host)
        if other is not None:
            where = f"hosts[{index - 1}]" if index else "code"
            problems.append(
                f"{city.source}: {where}: host {host!r} is already used by {other.source}"
            )
        hosts.setdefault(host, city)
    if problems:
        raise CityConfigError(problems)
    return CityDirectory(cities, base_domain)
