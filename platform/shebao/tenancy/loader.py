"""Loading and checking city YAML.

``load_cities`` reads every ``<cities_dir>/<code>/city.yaml``, merges it over the file it
``extends`` (a province file such as ``cities/provinces/shandong.yaml``; that file may extend
another in turn), validates the merged configuration with the schema and then with the checks
that span files (menu against modules, hosts across cities, themes on disk). Every problem is
reported as ``<file>: <key path>: <reason>``, where ``<file>`` is the file the bad value
stands in (a province file when the value came from it); one bad city stops the app from
starting (and makes ``shebao check`` fail), listing all problems at once.

Merging: mappings merge key by key, the extending file winning; any other value (a list, a
string, a number, ``null``) replaces the inherited one whole. Each file extended is read and
parsed once per load, however many cities extend it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .city import City, CityDirectory
from .modules import ModuleCatalogue
from .schema import city_config_model, enabled_module_names

CITY_FILE = "city.yaml"
#: The key naming the file a city (or province) file inherits from.
EXTENDS = "extends"
#: The folder under the cities folder for files that cities share; never a city itself.
PROVINCES = "provinces"


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


def _read_yaml(path: Path, display: str) -> tuple[Any, list[str]]:
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
    return raw, []


@dataclass
class Layers:
    """A city file merged over the files it extends, with the file each value came from."""

    data: dict
    #: Key path → display name of the file that set the value there. A mapping merged from
    #: several files is credited to the most derived one (the city file).
    origins: dict[tuple, str]
    #: Display names, the city file first, then the file it extends, and so on.
    files: list[str] = field(default_factory=list)

    def source(self, loc: Iterable[Any]) -> str:
        """The file where the value at ``loc`` (or its nearest existing parent) stands."""
        loc = tuple(loc)
        for end in range(len(loc), -1, -1):
            found = self.origins.get(loc[:end])
            if found is not None:
                return found
        return self.files[0]

    def lines(self) -> list[str]:
        """Every value as ``key.path: value  # file``; lists of mappings item by item."""
        heading = self.files[0] + "".join(f", extends {name}" for name in self.files[1:])
        out = [f"# {heading}"]
        for loc, value in _leaves(self.data, ()):
            text = json.dumps(value, ensure_ascii=False, default=str)
            out.append(f"{format_loc(loc, self.data)}: {text}  # {self.source(loc)}")
        return out


def _leaves(value: Any, loc: tuple) -> Iterator[tuple[tuple, Any]]:
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from _leaves(item, (*loc, key))
    elif isinstance(value, list) and any(isinstance(item, (dict, list)) for item in value):
        for index, item in enumerate(value):
            yield from _leaves(item, (*loc, index))
    else:
        yield loc, value


def _credit(value: Any, path: tuple, source: str, origins: dict[tuple, str]) -> None:
    origins[path] = source
    if isinstance(value, dict):
        for key, item in value.items():
            _credit(item, (*path, key), source, origins)


def _overlay(base: dict, over: dict, path: tuple, source: str, origins: dict) -> dict:
    """``over`` merged onto ``base``: mappings key by key, anything else replaced whole.

    The keys come in the order of ``over`` (the city file's), then those only inherited.
    """
    merged = {key: base.get(key) for key in over}
    merged.update((key, value) for key, value in base.items() if key not in over)
    for key, value in over.items():
        here = (*path, key)
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _overlay(merged[key], value, here, source, origins)
            origins[here] = source
            continue
        if isinstance(merged.get(key), dict):  # an inherited mapping replaced whole
            for stale in [p for p in origins if p[: len(here)] == here]:
                del origins[stale]
        merged[key] = value
        _credit(value, here, source, origins)
    return merged


class SharedFiles:
    """The files extended by cities, each read once per load (``load_cities`` makes one)."""

    def __init__(self, cities_dir: Path):
        self.cities_dir = Path(os.path.abspath(cities_dir))
        self._read: dict[Path, tuple[Any, list[str]]] = {}

    def display(self, path: Path) -> str:
        return _display(path, self.cities_dir)

    def read(self, path: Path) -> tuple[Any, list[str]]:
        if path not in self._read:
            self._read[path] = _read_yaml(path, self.display(path))
        return self._read[path]

    def target(self, current: Path, value: Any) -> tuple[Path | None, str | None]:
        """The file ``extends: value`` in ``current`` names, or ``(None, reason)``."""
        example = "such as ../provinces/shandong.yaml"
        if not isinstance(value, str) or not value.strip():
            return None, f"must be the path of a YAML file relative to this file, {example}"
        if Path(value).is_absolute() or value.startswith("~"):
            return None, f"must be a path relative to this file, {example}, not {value!r}"
        if not value.endswith((".yaml", ".yml")):
            return None, f"must name a .yaml file, {example}, not {value!r}"
        target = Path(os.path.normpath(current.parent / value))
        try:
            target.relative_to(self.cities_dir)
        except ValueError:
            return None, (
                f"{value!r} leads outside the cities folder {self.cities_dir}; "
                "shared files must be inside it, such as cities/provinces/"
            )
        if not target.is_file():
            return None, f"{value!r}: no such file ({self.display(target)})"
        return target, None

    def layers(self, path: Path) -> tuple[Layers | None, list[str]]:
        """``path`` merged over the chain of files it extends; problems instead on failure."""
        path = Path(os.path.abspath(path))
        chain: list[tuple[Path, dict]] = []
        current = path
        while True:
            raw, problems = (
                self.read(current) if chain else _read_yaml(current, self.display(current))
            )
            if raw is None:
                return None, problems
            chain.append((current, raw))
            if EXTENDS not in raw:
                break
            where = f"{self.display(current)}: {EXTENDS}"
            target, reason = self.target(current, raw[EXTENDS])
            if target is None:
                return None, [f"{where}: {reason}"]
            seen = [p for p, _ in chain]
            if target in seen:
                names = " → ".join(self.display(p) for p in [*seen, target])
                return None, [
                    f"{where}: makes a cycle ({names}); "
                    "a file cannot extend itself, directly or through others"
                ]
            current = target
        data: dict = {}
        origins: dict[tuple, str] = {}
        for file, raw in reversed(chain):
            own = {key: value for key, value in raw.items() if key != EXTENDS}
            data = _overlay(data, own, (), self.display(file), origins)
        return Layers(data, origins, [self.display(p) for p, _ in chain]), []


def _located(layers: Layers, error: dict) -> str:
    """A validation error as ``<file>: <key path>: <reason>``, in the file of the bad value.

    A missing key is the city's to add (its file is named), saying where the mapping that
    lacks it was inherited from.
    """
    loc = _key_loc(error["loc"])
    where = format_loc(loc, layers.data)
    if error["type"] != "missing":
        return f"{layers.source(loc)}: {where}: {_reason(error)}"
    parent = layers.source(loc[:-1])
    inherited = f" (the mapping around it comes from {parent})" if parent != layers.files[0] else ""
    return f"{layers.files[0]}: {where}: {_reason(error)}{inherited}"


def parse_city_file(
    path: Path,
    catalogue: ModuleCatalogue,
    display: str | None = None,
    shared: SharedFiles | None = None,
):
    """Parse, merge (``extends``) and validate one city file; return ``(config, problems)``.

    Without ``shared``, the files it extends are looked up in the folder above the city's.
    """
    config, _, problems = _parse_layers(path, catalogue, display, shared)
    return config, problems


def _parse_layers(path, catalogue, display=None, shared=None):
    shared = shared or SharedFiles(Path(os.path.abspath(path)).parent.parent)
    layers, problems = shared.layers(path)
    if layers is None:
        if display:
            own = shared.display(Path(os.path.abspath(path)))
            problems = [display + p[len(own) :] if p.startswith(own + ":") else p for p in problems]
        return None, None, problems
    if display:
        own = layers.files[0]
        layers.files[0] = display
        layers.origins = {k: display if v == own else v for k, v in layers.origins.items()}
    try:
        return city_config_model(catalogue).model_validate(layers.data), layers, []
    except ValidationError as error:
        return (
            None,
            layers,
            [_located(layers, e) for e in error.errors()],
        )


def check_city(
    config, folder: Path, themes_dir: Path, catalogue: ModuleCatalogue
) -> Iterator[tuple[tuple, str]]:
    """The checks that the schema alone cannot make; yields ``(key location, reason)``."""
    if config.code != folder.name:
        yield ("code",), f"must equal the folder name {folder.name!r}"
    if not (themes_dir / config.theme).is_dir():
        known = (
            sorted(p.name for p in themes_dir.iterdir() if p.is_dir())
            if themes_dir.is_dir()
            else []
        )
        yield ("theme",), f"unknown theme {config.theme!r} (known: {', '.join(known) or 'none'})"
    for name, options in config.modules:
        if options is not None and not options.enabled and catalogue[name].core:
            reason = f"module {name!r} cannot be switched off (every city has it)"
            yield ("modules", name, "enabled"), reason
    enabled = enabled_module_names(config, catalogue)
    seen_items: dict[tuple[str, str], str] = {}
    seen_groups: set[str] = set()
    for g, group in enumerate(config.menu):
        if group.key in seen_groups:
            yield ("menu", g, "key"), f"group {group.key!r} appears twice"
        seen_groups.add(group.key)
        for i, menu_item in enumerate(group.items):
            path = ("menu", g, "items", i, "item")
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
            seen_items.setdefault((group.key, menu_item.item), format_loc(path))


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
    shared = SharedFiles(cities_dir)
    for folder in folders:
        path = folder / CITY_FILE
        display = _display(path, cities_dir)
        if folder.name == PROVINCES:
            problems.append(
                f"{display}: (top level): the {PROVINCES}/ folder holds files that cities "
                "share, not a city: give the city a folder of its own"
            )
            continue
        config, layers, file_problems = _parse_layers(path, catalogue, None, shared)
        problems += file_problems
        if config is None:
            continue
        city_problems = [
            f"{layers.source(loc)}: {format_loc(loc, layers.data)}: {reason}"
            for loc, reason in check_city(config, folder, themes_dir, catalogue)
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
        # A bad value in a shared file is met once per city extending it: say it once.
        raise CityConfigError(list(dict.fromkeys(problems)))
    return CityDirectory(cities, base_domain)


def city_layers(cities_dir: Path, code: str) -> Layers:
    """The merged, unvalidated configuration of city ``code`` with each value's file."""
    layers, problems = SharedFiles(cities_dir).layers(Path(cities_dir) / code / CITY_FILE)
    if layers is None:
        raise CityConfigError(problems)
    return layers
