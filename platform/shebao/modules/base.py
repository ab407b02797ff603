"""What a feature module is.

A module is self-describing (after Indico's features): a name, a default label, a blueprint,
the menu entries it offers, and a pydantic model of the options a city may set for it in
``modules.<name>`` of its YAML. A city enables a module by listing it there; the platform
refuses every request to a module's blueprint when the city has not enabled it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from flask import Blueprint
from pydantic import BaseModel, ConfigDict


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


@dataclass(frozen=True)
class FeatureModule:
    name: str
    label: Any
    blueprint: Blueprint
    entries: tuple[MenuEntry, ...]
    options: type[ModuleOptions] = ModuleOptions
    core: bool = False
    """Core modules cannot be switched off (accounts): every city has them."""
    description: str = ""
    #: Endpoints reachable without logging in (besides entries marked public).
    public_endpoints: frozenset[str] = frozenset()
    #: Fills the module's demo data: ``demo_seeder(city, people, rng)`` where ``people`` are the
    #: person rows just seeded (dicts with ``id`` and the Person columns). It writes with batched
    #: Core inserts in the caller's transaction and sets ``city`` on every row itself.
    demo_seeder: Callable[..., None] | None = None
    #: CSV kinds for ``shebao import --kind``: kind → ``importer(city, path) -> ImportResult``.
    importers: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    _entry_index: dict[str, MenuEntry] = field(default_factory=dict, repr=False, compare=False)

    KEY_SEPARATOR: ClassVar[str] = "."

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
