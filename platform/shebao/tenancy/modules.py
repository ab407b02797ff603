"""What a feature module is, as far as a city's configuration is concerned.

A module is self-describing (after Indico's features): a name, a default label, the menu
entries it offers, and a pydantic model of the options a city may set for it in
``modules.<name>`` of its YAML. A city enables a module by listing it there; the platform
refuses every request to a module's blueprint when the city has not enabled it.

The declaration names its parts (blueprint, demo seeder, import kinds, to-do sources) as
references such as ``".views:blueprint"`` (relative to the declaring package), resolved when
the app starts: declaring a module imports none of its feature code, so tenancy, the CLI's
``check`` and the schema writer can read every declaration without loading any views.

Tenancy defines these types but imports no module: the caller (the app factory or the CLI)
hands a ``ModuleCatalogue`` to the loader.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict
from werkzeug.utils import import_string


class ModuleOptions(BaseModel):
    """Base of every module's options in city YAML. Unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    enabled: bool = True
    """false switches the module off but keeps its options; the account module is always on."""

    def entry_enabled(self, key: str) -> bool:
        """Whether this city offers the menu entry ``key`` (modules may narrow it)."""
        return True

    def entries_public(self) -> bool:
        """Whether the module's public entries may be opened without logging in."""
        return True


@dataclass(frozen=True)
class MenuEntry:
    """A page a module offers to the menu: ``<module>.<key>`` in city YAML."""

    key: str
    endpoint: str
    label: Any  # a lazy gettext string
    public: bool = False
    """Reachable without logging in (when the module allows public access)."""


@dataclass(frozen=True, eq=False)
class FeatureModule:
    """One module's declaration: what it is, and where its parts are (resolved at start)."""

    name: str
    label: Any
    #: The declaring package (``__name__`` of its ``__init__``): base of relative references.
    package: str
    entries: tuple[MenuEntry, ...] = ()
    options: type[ModuleOptions] = ModuleOptions
    core: bool = False
    """Core modules cannot be switched off (accounts): every city has them."""
    description: str = ""
    #: Endpoints reachable without logging in (besides entries marked public).
    public_endpoints: frozenset[str] = frozenset()
    #: Endpoints that stay open while a password change is forced (the change page, logout).
    open_while_forced: frozenset[str] = frozenset()
    #: The module's Flask blueprint; its name is the module's name.
    blueprint: str = ".views:blueprint"
    #: ``seeder(city, people, rng)`` filling the module's demo data for people just seeded
    #: (dicts with ``id`` and the Person columns), with batched inserts in the caller's
    #: transaction, ``city`` set on every row.
    seeder: str | None = None
    #: CSV import kinds for ``shebao import --kind``: kind name → its ``ImportKind``.
    import_kinds: Mapping[str, str] = field(default_factory=dict)
    #: ``source(city, person) -> list[TodoItem]``: the person's unfinished business here.
    todo_sources: tuple[str, ...] = ()
    #: Click commands the module adds to ``shebao`` (for example ``shebao payments expire``).
    commands: tuple[str, ...] = ()
    #: ``job(city_code)`` run by ``shebao scheduler`` on every tick for every city that
    #: enables the module, as a background job (for example expiring stale payment orders).
    periodic_jobs: tuple[str, ...] = ()
    _entry_index: dict[str, MenuEntry] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._entry_index.update({entry.key: entry for entry in self.entries})

    def entry(self, key: str) -> MenuEntry | None:
        return self._entry_index.get(key)

    def is_public(self, endpoint: str, options: ModuleOptions) -> bool:
        """Whether ``endpoint`` of this module may be opened without logging in."""
        if endpoint in self.public_endpoints:
            return True
        key = endpoint.partition(".")[2]
        entry = self.entry(key)
        return entry is not None and entry.public and options.entries_public()

    def resolve(self, reference: str) -> Any:
        """``".views:blueprint"`` → the object, imported relative to the declaring package."""
        if reference.startswith((".", ":")):
            reference = self.package + reference
        return import_string(reference)

    @cached_property
    def default_options(self) -> ModuleOptions:
        """The options of a city that sets none (core modules): built once, frozen."""
        return self.options()

    @cached_property
    def parts(self) -> ModuleParts:
        """The parts the declaration names, each imported once, when first read."""
        return ModuleParts(self)


class ModuleParts:
    """A module's parts, each imported when it is first read: the web app reads the
    blueprints (at start) and the to-do sources; the seeder, the import kinds, the commands and
    the periodic jobs are the command line's, and serving never imports them."""

    def __init__(self, module: FeatureModule):
        self._module = module

    @cached_property
    def blueprint(self) -> Any:
        return self._module.resolve(self._module.blueprint)

    @cached_property
    def seeder(self) -> Callable[..., None] | None:
        return self._module.resolve(self._module.seeder) if self._module.seeder else None

    @cached_property
    def import_kinds(self) -> Mapping[str, Any]:
        return {kind: self._module.resolve(ref) for kind, ref in self._module.import_kinds.items()}

    @cached_property
    def todo_sources(self) -> tuple[Callable[..., list], ...]:
        return tuple(self._module.resolve(ref) for ref in self._module.todo_sources)

    @cached_property
    def commands(self) -> tuple[Any, ...]:
        return tuple(self._module.resolve(ref) for ref in self._module.commands)

    @cached_property
    def periodic_jobs(self) -> tuple[Callable[[str], Any], ...]:
        return tuple(self._module.resolve(ref) for ref in self._module.periodic_jobs)


def entries(module_name: str, *specs: tuple) -> tuple[MenuEntry, ...]:
    """``(key, label[, public])`` tuples → menu entries whose endpoint is ``<module>.<key>``."""
    return tuple(
        MenuEntry(
            key=spec[0],
            endpoint=f"{module_name}.{spec[0]}",
            label=spec[1],
            public=bool(spec[2]) if len(spec) > 2 else False,
        )
        for spec in specs
    )


class ModuleCatalogue(Mapping[str, FeatureModule]):
    """The modules a platform runs, by name, in menu order. Hashable by identity (cacheable)."""

    def __init__(self, modules: Iterable[FeatureModule]):
        self._modules = {module.name: module for module in modules}

    def __getitem__(self, name: str) -> FeatureModule:
        return self._modules[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __len__(self) -> int:
        return len(self._modules)

    __hash__ = object.__hash__

    def __eq__(self, other: object) -> bool:
        return self is other

    def core_names(self) -> frozenset[str]:
        return frozenset(name for name, module in self._modules.items() if module.core)
