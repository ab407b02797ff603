"""A loaded city, and the directory that finds a city from a request's host."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.i18n import label_text
from .modules import FeatureModule, ModuleCatalogue
from .schema import enabled_module_names


@dataclass(frozen=True)
class MenuLink:
    module: str
    key: str
    endpoint: str
    label: Any
    public: bool = False
    """Opens without logging in (so the menu shows it to anonymous visitors too)."""


@dataclass(frozen=True)
class Menu:
    key: str
    label: Any
    links: tuple[MenuLink, ...]


@dataclass(frozen=True, eq=False)
class City:
    """One city's frozen configuration plus what is derived from it once, at start."""

    config: Any  # CityConfig
    root: Path
    themes_dir: Path
    catalogue: ModuleCatalogue
    source: str = ""
    menus: tuple[Menu, ...] = field(init=False)
    #: The menu of a visitor not logged in: every service (they lead to the login, then the
    #: page), but not the account's own settings (log out, change password …); empty groups
    #: left out.
    visitor_menus: tuple[Menu, ...] = field(init=False)
    enabled_modules: frozenset[str] = field(init=False)
    #: The label each menu link gives its entry, by (module, entry key); the first link wins.
    menu_labels: dict[tuple[str, str], Any] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        registry = self.catalogue
        menus = []
        labels: dict[tuple[str, str], Any] = {}
        for group in self.config.menu:
            links = []
            for item in group.items:
                module_name, _, key = item.item.partition(".")
                entry = registry[module_name].entry(key)
                public = registry[module_name].is_public(entry.endpoint, self.options(module_name))
                label = item.label or entry.label
                links.append(MenuLink(module_name, key, entry.endpoint, label, public))
                labels.setdefault((module_name, key), label)
            menus.append(Menu(group.key, group.label, tuple(links)))
        visitor_menus = [
            Menu(
                menu.key,
                menu.label,
                tuple(link for link in menu.links if link.public or not registry[link.module].core),
            )
            for menu in menus
        ]
        object.__setattr__(
            self, "enabled_modules", enabled_module_names(self.config, self.catalogue)
        )
        object.__setattr__(self, "menus", tuple(menus))
        object.__setattr__(self, "menu_labels", labels)
        object.__setattr__(self, "visitor_menus", tuple(m for m in visitor_menus if m.links))

    @property
    def code(self) -> str:
        return self.config.code

    @property
    def theme(self) -> str:
        return self.config.theme

    @property
    def name(self) -> str:
        return label_text(self.config.name)

    @property
    def title(self) -> str:
        return label_text(self.config.branding.title)

    def hosts(self, base_domain: str) -> list[str]:
        return [f"{self.code}.{base_domain}", *self.config.hosts]

    def module_enabled(self, name: str) -> bool:
        return name in self.enabled_modules

    def module(self, name: str) -> FeatureModule:
        return self.catalogue[name]

    def options(self, name: str):
        """The city's options of module ``name`` (the module's defaults for a core module)."""
        options = getattr(self.config.modules, name, None)
        return options if options is not None else self.catalogue[name].default_options

    def entry_enabled(self, module_name: str, key: str) -> bool:
        return self.module_enabled(module_name) and self.options(module_name).entry_enabled(key)

    def entry_label(self, module_name: str, key: str) -> str:
        label = self.menu_labels.get((module_name, key))
        if label is not None:
            return label_text(label)
        entry = self.catalogue[module_name].entry(key)
        return label_text(entry.label) if entry else key

    def template_dir(self) -> Path:
        return self.root / "templates"

    def static_dirs(self) -> list[Path]:
        return [self.root / "static", self.themes_dir / self.theme / "static"]


def host_without_port(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):  # [::1]:5000
        return host[1 : host.find("]")] if "]" in host else host
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.rstrip(".")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class CityDirectory:
    """Every loaded city, found by code or by the Host header of a request."""

    def __init__(self, cities: list[City], base_domain: str):
        self.base_domain = base_domain
        self.by_code = {city.code: city for city in cities}
        self.by_host: dict[str, City] = {}
        for city in cities:
            for host in city.hosts(base_domain):
                self.by_host.setdefault(host, city)

    def __iter__(self):
        return iter(self.by_code.values())

    def __len__(self) -> int:
        return len(self.by_code)

    def get(self, code: str) -> City | None:
        return self.by_code.get(code)

    def resolve(self, host_header: str | None) -> City | None:
        """The city a Host header names, or None (IP addresses and unknown names)."""
        if not host_header:
            return None
        host = host_without_port(host_header)
        if not host or _is_ip(host):
            return None
        return self.by_host.get(host)
