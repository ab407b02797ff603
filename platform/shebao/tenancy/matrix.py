"""``shebao cities``: which city has which modules and auth styles, for product owners."""

from __future__ import annotations

from .city import City


def auth_styles(city: City) -> list[str]:
    auth = city.config.auth
    styles = []
    if auth.registration:
        styles.append("register:" + "+".join(auth.registration.methods))
    if auth.default_password:
        styles.append("default-password")
    if auth.recovery.sms:
        styles.append("recover:sms")
    if auth.recovery.security_questions:
        styles.append("recover:questions")
    return styles


def city_matrix(cities: list[City], module_names: list[str]) -> str:
    """A table of ``module_names`` and auth styles against ``cities``."""
    rows = [
        (f"module {name}", [city.module_enabled(name) for city in cities]) for name in module_names
    ]
    for style in sorted({style for city in cities for style in auth_styles(city)}):
        rows.append((f"auth {style}", [style in auth_styles(city) for city in cities]))
    rows.append(("staff console", [city.config.staff.enabled for city in cities]))
    rows.append(
        ("staff networks limited", [bool(city.config.staff.allowed_networks) for city in cities])
    )
    width = max(len(label) for label, _ in rows)
    columns = [max(len(city.code), 3) for city in cities]

    def line(label: str, cells: list[str]) -> str:
        return (
            label.ljust(width)
            + "  "
            + "  ".join(c.ljust(w) for c, w in zip(cells, columns, strict=True))
        ).rstrip()

    header = line("", [city.code for city in cities])
    table = [header, "-" * len(header)]
    table += [line(label, ["yes" if on else "-" for on in marks]) for label, marks in rows]
    return "\n".join(table)
