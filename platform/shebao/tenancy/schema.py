"""The schema of ``cities/<city>/city.yaml``.

Parsed with pydantic into frozen objects; unknown keys are errors. The ``modules`` section
is built from the module catalogue the caller hands in, so each module's options are checked
by that module's own model and appear in the JSON Schema (``shebao schema``).
"""

from __future__ import annotations

import ipaddress
import re
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    create_model,
    field_validator,
    model_validator,
)

from ..core.i18n import LOCALES
from .modules import ModuleCatalogue
from .types import Frozen, Label, Slug, matching

_HOST = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)


def _host(value: Any) -> str:
    if not isinstance(value, str) or not _HOST.match(value.strip().lower().rstrip(".")):
        raise ValueError("must be a host name such as si.binzhou.gov.cn (no scheme, no port)")
    return value.strip().lower().rstrip(".")


Host = Annotated[str, BeforeValidator(_host)]

_HOTLINE = r"^[0-9+\-() ]{3,32}$"
_ITEM = r"^[a-z_]+\.[a-z_]+$"
_DIVISION = r"^[1-8][0-9]{5}$"


class Branding(Frozen):
    title: Label
    """The portal's title, in the header and every page's <title>."""
    hotline: Annotated[
        str,
        Field(pattern=_HOTLINE),
        matching(_HOTLINE, 'must be a phone number in quotes, such as "0543-12333"'),
    ]
    """Service hotline shown in the footer and on help pages."""
    logo: str | None = None
    """Logo file, looked up in the city's static folder, then the theme's."""
    operator: Label | None = None
    """The department running the portal, shown in the footer."""
    care_mode_default: bool = False
    """Show care mode (关怀模式: larger text, stronger contrast, one column of large buttons)
    to visitors who have not chosen yet; the switch in every page's header still turns it off."""


class Locales(Frozen):
    default: Literal["zh_CN", "en"] = "zh_CN"
    """The language a visitor sees first, before choosing one."""
    available: Annotated[list[Literal["zh_CN", "en"]], Field(min_length=1)] = list(LOCALES)
    """The languages a visitor may switch to; must include the default."""

    @model_validator(mode="after")
    def _default_available(self):
        if self.default not in self.available:
            raise ValueError("the default language must be one of the available ones")
        return self


class Registration(Frozen):
    """Self-registration (Binzhou): by social security card and/or by SMS code."""

    methods: Annotated[list[Literal["card", "sms"]], Field(min_length=1)]
    """How residents prove who they are: "card" (social security card number), "sms" (code)."""

    @field_validator("methods")
    @classmethod
    def _unique(cls, methods):
        if len(set(methods)) != len(methods):
            raise ValueError("lists a method twice")
        return methods


class DefaultPassword(Frozen):
    """Accounts that exist for every insured person with a default password (Dezhou)."""

    password: Annotated[str, Field(min_length=6, max_length=32)]
    """The first password of every account (6–32 characters), told to residents offline."""
    force_change: bool = True
    """The first login with the default password leads to a forced change."""


class Recovery(Frozen):
    sms: bool = False
    """Forgot password: a new password sent to the reserved phone."""
    security_questions: bool = False
    """Password protection (密码保护): security questions."""


class PasswordPolicy(Frozen):
    min_length: Annotated[int, Field(ge=6, le=64)] = 8
    """The fewest characters a new password may have (6–64)."""
    min_classes: Annotated[int, Field(ge=1, le=4)] = 2
    """How many of: lower-case, upper-case, digits, other characters."""


class Lockout(Frozen):
    max_failures: Annotated[int, Field(ge=1, le=100)] = 5
    """Wrong passwords in a row after which the account is locked."""
    minutes: Annotated[int, Field(ge=1, le=24 * 60)] = 15
    """How long a locked account stays locked, in minutes."""


class SmsLimits(Frozen):
    code_ttl_seconds: Annotated[int, Field(ge=60, le=3600)] = 300
    """How long an SMS verification code stays valid, in seconds."""
    max_checks: Annotated[int, Field(ge=1, le=20)] = 5
    """Wrong entries of one SMS code after which the code is void."""
    resend_seconds: Annotated[int, Field(ge=10, le=3600)] = 60
    """Seconds a resident waits before another code can be sent to the same phone."""
    daily_limit: Annotated[int, Field(ge=1, le=100)] = 10
    """SMS messages one phone number may receive in any 24 hours."""
    account_daily_limit: Annotated[int, Field(ge=1, le=100)] = 10
    """SMS messages sent for one account per calendar day, to whichever numbers. (Someone
    registering has no account yet, and gets codes only on their own reserved phone.)"""
    address_hourly_limit: Annotated[int, Field(ge=1, le=100_000)] = 30
    """SMS messages sent at the request of one client address per clock hour. Many residents
    may share an address (an office, a mobile carrier's NAT): raise it if they are refused."""
    city_daily_limit: Annotated[int, Field(ge=1, le=10_000_000)] = 20_000
    """SMS messages the city's portal sends per calendar day, all residents together: a
    ceiling on cost and on abuse."""


class Auth(Frozen):
    registration: Registration | None = None
    """Residents create their own account online; leave out to offer no registration."""
    default_password: DefaultPassword | None = None
    """Every insured person has an account already (user name = ID number) with this password."""
    recovery: Recovery = Recovery()
    """Ways to regain access after forgetting the password."""
    password_policy: PasswordPolicy = PasswordPolicy()
    """What a new password must contain."""
    lockout: Lockout = Lockout()
    """Locking an account after repeated wrong passwords."""
    session_idle_minutes: Annotated[int, Field(ge=5, le=24 * 60)] = 30
    """Minutes without a request after which a resident is logged out."""
    session_absolute_hours: Annotated[int, Field(ge=1, le=24)] = 8
    """Hours after logging in after which a resident must log in again, however active
    (at least as long as the idle time)."""
    sms: SmsLimits = SmsLimits()
    """Lifetime and rate limits of SMS verification codes."""

    @model_validator(mode="after")
    def _some_way_in(self):
        if self.registration is None and self.default_password is None:
            raise ValueError(
                "needs registration or default_password, or residents cannot get an account"
            )
        return self

    @model_validator(mode="after")
    def _absolute_lifetime_not_shorter_than_idle(self):
        if self.session_absolute_hours * 60 < self.session_idle_minutes:
            raise ValueError(
                f"session_absolute_hours ({self.session_absolute_hours} hours) must not be "
                f"shorter than session_idle_minutes ({self.session_idle_minutes} minutes): "
                "raise session_absolute_hours or lower session_idle_minutes"
            )
        return self


def _network(value: Any) -> str:
    try:
        return str(ipaddress.ip_network(str(value).strip(), strict=False))
    except ValueError:
        raise ValueError(
            "must be a client network such as 10.12.0.0/16 or a single address such as 10.12.3.4"
        ) from None


class Staff(Frozen):
    """The service hall's staff console at ``/staff/`` (accounts, work queues, resident help,
    refunds, announcements), created per city with ``shebao staff create``."""

    enabled: bool = False
    """Switch the staff console (and the city's 通知公告 announcements) on."""
    allowed_networks: list[Annotated[str, BeforeValidator(_network)]] = []
    """Client networks the console answers (CIDR, e.g. 10.12.0.0/16); anyone else gets 403.
    Empty: any network (the login still needs a password and a one-time code)."""
    session_idle_minutes: Annotated[int, Field(ge=5, le=8 * 60)] = 20
    """Minutes without a request after which a staff member is logged out."""
    session_absolute_hours: Annotated[int, Field(ge=1, le=12)] = 10
    """Hours after logging in after which a staff member must log in again."""
    page_size: Annotated[int, Field(ge=5, le=200)] = 20
    """Rows per page of the work queues, lists and the audit log."""
    home_announcements: Annotated[int, Field(ge=0, le=20)] = 5
    """How many of the newest announcements the home page shows (0: none, only the list)."""


def _menu_item(value: Any) -> Any:
    return {"item": value} if isinstance(value, str) else value


class MenuItem(Frozen):
    item: Annotated[
        str,
        Field(pattern=_ITEM),
        matching(_ITEM, "must be <module>.<page>, such as contributions.pension"),
    ]
    """``<module>.<entry>``, for example ``contributions.pension``."""
    label: Label | None = None
    """Overrides the module's default label."""


class MenuGroup(Frozen):
    key: Slug
    """A short identifier of the group, unique within the menu."""
    label: Label
    """The group's heading in the menu."""
    items: Annotated[list[Annotated[MenuItem, BeforeValidator(_menu_item)]], Field(min_length=1)]
    """The group's pages: "<module>.<page>", or {item: …, label: …} to rename one."""


@cache
def modules_model(catalogue: ModuleCatalogue):
    """A model of the ``modules`` section with one optional field per module of ``catalogue``."""
    fields = {
        name: (module.options | None, Field(default=None, description=module.description))
        for name, module in catalogue.items()
    }
    # No use_attribute_docstrings: a model made here has no source to read them from (pydantic
    # would walk the whole call stack looking for it); each field's description is given.
    return create_model("Modules", __config__=ConfigDict(extra="forbid", frozen=True), **fields)


@cache
def city_config_model(catalogue: ModuleCatalogue):
    class CityConfig(Frozen):
        model_config = ConfigDict(
            extra="forbid",
            frozen=True,
            use_attribute_docstrings=True,
            json_schema_extra={"title": "Shebao city configuration (cities/<city>/city.yaml)"},
        )

        code: Slug
        """The city's code: its folder name and its subdomain."""
        name: Label
        """The city's name, for example {zh_CN: 滨州市, en: Binzhou}."""
        division_code: Annotated[
            str,
            Field(pattern=_DIVISION),
            matching(_DIVISION, 'must be a 6-digit division code in quotes, such as "371600"'),
        ]
        """6-digit administrative division code (行政区划代码), e.g. 371600."""
        hosts: list[Host] = []
        """Extra host names besides <code>.<base domain>."""
        theme: Slug
        """The look shared by several cities: a folder under themes/."""
        locales: Locales = Locales()
        """The languages of this portal."""
        branding: Branding
        """Title, hotline, logo and operator shown on every page."""
        auth: Auth
        """How residents get an account, log in and recover access."""
        staff: Staff = Staff()
        """The service hall's staff console (off unless ``enabled: true``)."""
        modules: modules_model(catalogue)  # type: ignore[valid-type]
        """The feature modules this city offers, each with its options; an absent one is off."""
        menu: Annotated[list[MenuGroup], Field(min_length=1)]
        """The menu: groups of pages, in order; each page must belong to an enabled module."""

    return CityConfig


def enabled_module_names(config, catalogue: ModuleCatalogue) -> frozenset[str]:
    """The modules a city's configuration switches on, core modules included."""
    core = catalogue.core_names()
    listed = {name for name, options in config.modules if options is not None and options.enabled}
    return frozenset(core | listed)
