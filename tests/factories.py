"""One factory per city-owned model: ``FACTORIES[Model](city, seq)`` adds a valid row.

The isolation test walks every model that mixes in ``CityScoped`` and fails when one has no
factory here, so a new city-owned table cannot skip the isolation proof.
"""

from __future__ import annotations

from datetime import date

from shebao.extensions import db
from shebao.people.idnumber import make_id_number
from shebao.people.models import Person, PersonInsurance


def person(city: str, seq: int = 1, **values) -> Person:
    row = Person(
        city=city,
        id_number=make_id_number("371602", date(1980, 1, 1 + seq % 28), seq),
        name=values.pop("name", f"测试{seq}"),
        sex="M" if seq % 2 else "F",
        birth_date=date(1980, 1, 1 + seq % 28),
        phone=values.pop("phone", f"1380000{seq:04d}"),
        card_number=values.pop("card_number", f"T{seq:08d}"),
        category=values.pop("category", "employee"),
        employer=values.pop("employer", "测试单位"),
        **values,
    )
    db.session.add(row)
    db.session.flush()
    # make_id_number derives sex from the sequence digit; keep the row consistent with it.
    row.sex = "M" if int(row.id_number[16]) % 2 else "F"
    return row


def person_insurance(city: str, seq: int = 1) -> PersonInsurance:
    owner = person(city, seq)
    row = PersonInsurance(city=city, person=owner, insurance_type="pension", status="active",
                          first_insured=date(2005, 1, 1))
    db.session.add(row)
    db.session.flush()
    return row


FACTORIES = {
    Person: person,
    PersonInsurance: person_insurance,
}
