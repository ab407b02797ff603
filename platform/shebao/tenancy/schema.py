"""The schema of ``cities/<city>/city.yaml``.

Parsed with pydantic into frozen objects; unknown keys are errors. The ``modules`` section
is built from the module registry, so each module's options are checked by that module's
own model and appear in the JSON Schema (``shebao schema``).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, create_model, field_validator, model_validator

from ..i18n import LOCALES
from .types import Frozen, Label, Slug, matching

_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")


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


class Locales(Frozen):
    default: Literal["zh_CN", "en"] = "zh_CN"
    available: Annotated[list[Literal["zh_CN", "en"]], Field(min_length=1)] = list(LOCALES)

    @model_validator(mode="after")
    def _default_available(self):
        if self.default not in self.available:
            raise ValueError("the default language must be one of the available ones")
        return self


class Registration(Frozen):
    """Self-registration (Binzhou): by social security card and/or by SMS code."""

    methods: Annotated[list[Literal["card", "sms"]], Field(min_length=1)]

    @field_validator("methods")
    @classmethod
    def _unique(cls, methods):
        if len(set(methods)) != len(methods):
            raise ValueError("lists a method twice")
        return methods


class DefaultPassword(Frozen):
    """Accounts that exist for every insured person with a default password (Dezhou)."""

    password: Annotated[str, Field(min_length=6, max_length=32)]
    force_change: bool = True
    """The first login with the default password leads to a forced change."""


class Recovery(Frozen):
    sms: bool = False
    """Forgot password: a new password sent to the reserved phone."""
    security_questions: bool = False
    """Password protection (密码保护): security questions."""


class PasswordPolicy(Frozen):
    min_length: Annotated[int, Field(ge=6, le=64)] = 8
    min_classes: Annotated[int, Field(ge=1, le=4)] = 2
    """How many of: lower-case, upper-case, digits, other characters."""


class Lockout(Frozen):
    max_failures: Annotated[int, Field(ge=1, le=100)] = 5
    minutes: Annotated[int, Field(ge=1, le=24 * 60)] = 15


class SmsLimits(Frozen):
    code_ttl_seconds: Annotated[int, Field(ge=60, le=3600)] = 300
    max_checks: Annotated[int, Field(ge=1, le=20)] = 5
    resend_seconds: Annotated[int, Field(ge=10, le=3600)] = 60
    daily_limit: Annotated[int, Field(ge=1, le=100)] = 10


class Auth(Frozen):
    registration: Registration | None = None
    default_password: DefaultPassword | None = None
    recovery: Recovery = Recovery()
    password_policy: PasswordPolicy = PasswordPolicy()
    lockout: Lockout = Lockout()
    session_idle_minutes: Annotated[int, Field(ge=5, le=24 * 60)] = 30
    sms: SmsLimits = SmsLimits()

    @model_validator(mode="after")
    def _some_way_in(self):
        if self.registration is None and self.default_password is None:
            raise ValueError("needs registration or default_password, or residents cannot get an account")
        return self


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
    label: Label
    items: Annotated[list[Annotated[MenuItem, BeforeValidator(_menu_item)]], Field(min_length=1)]


@cache
def modules_model():
    """A model of the ``modules`` section with one optional field per registered module."""
    from ..modules.registry import all_modules

    fields = {
        name: (module.options | None, Field(default=None, description=module.description))
        for name, module in all_modules().items()
    }
    return create_model(
        "Modules",
        __config__=ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True),
        **fields,
    )


@cache
def city_config_model():
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
        division_code: Annotated[
            str,
            Field(pattern=_DIVISION),
            matching(_DIVISION, 'must be a 6-digit division code in quotes, such as "371600"'),
        ]
        """6-digit administrative division code (行政区划代码), e.g. 371600."""
        hosts: list[Host] = []
        """Extra host names besides <code>.<base domain>."""
        theme: Slug
        locales: Locales = Locales()
        branding: Branding
        auth: Auth
        modules: modules_model()  # type: ignore[valid-type]
        menu: Annotated[list[MenuGroup], Field(min_length=1)]

    return CityConfig
