"""Factories of the contributions module's city-owned models (for the isolation test), and a
helper that records months of contributions for a person the way the city's rules compute them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from shebao.core.extensions import db
from shebao.modules.contributions.models import Contribution


def person(city: str, seq: int = 1, **values):
    """``tests.factories.person`` (imported late: that module imports this one for FACTORIES)."""
    from tests.factories import person as make_person

    return make_person(city, seq, **values)


def contribution(city: str, seq: int = 1, **values) -> Contribution:
    owner = values.pop("owner", None) or person(city, seq)
    row = Contribution(
        city=city,
        person_id=owner.id,
        insurance_type=values.pop("insurance_type", "pension"),
        period=values.pop("period", date(2024, 1, 1)),
        base=values.pop("base", Decimal("5000.00")),
        individual=values.pop("individual", Decimal("400.00")),
        employer=values.pop("employer", Decimal("800.00")),
        status=values.pop("status", "paid"),
        payer=values.pop("payer", "测试单位"),
        **values,
    )
    db.session.add(row)
    db.session.flush()
    return row


def record_months(
    city,
    person_id: int,
    insurance_type: str,
    year: int,
    months=range(1, 13),
    base: str | Decimal = "5000",
    status: str = "paid",
    payer: str = "测试单位",
) -> list[Contribution]:
    """Rows for ``months`` of ``year`` with amounts from the city's rates (commit is the
    caller's). ``city`` is a loaded City (its contributions options give the rates)."""
    from shebao.modules.contributions.services import contribution_amounts

    amounts = contribution_amounts(
        city.options("contributions"), insurance_type, year, Decimal(base)
    )
    rows = [
        Contribution(
            city=city.code,
            person_id=person_id,
            insurance_type=insurance_type,
            period=date(year, month, 1),
            base=amounts.base,
            individual=amounts.individual,
            employer=amounts.employer,
            status=status,
            payer=payer,
        )
        for month in months
    ]
    db.session.add_all(rows)
    db.session.flush()
    return rows


FACTORIES: dict = {Contribution: contribution}
