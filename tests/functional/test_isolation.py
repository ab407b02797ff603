"""A request for one city can neither read nor change another city's rows, for every model.

This walks every mapped model that mixes in ``CityScoped`` (and fails for a model without a
factory in tests/factories.py), creates a row in Binzhou and one in Dezhou, and then acts as a
Binzhou request: ORM selects, lookups by primary key, relationship loads, bulk updates and
deletes, and new rows all stay inside Binzhou.
"""

import pytest
from sqlalchemy import delete, func, select, update

from shebao.core.extensions import db
from shebao.tenancy.scoping import CityScoped, CrossCityWrite
from tests.factories import FACTORIES


def city_models():
    return sorted(
        (
            mapper.class_
            for mapper in db.Model.registry.mappers
            if issubclass(mapper.class_, CityScoped)
        ),
        key=lambda cls: cls.__name__,
    )


def test_every_city_owned_model_has_a_factory_and_an_indexed_non_null_city():
    """Every city-owned table can find a city's rows by an index, and no row lacks a city."""
    models = city_models()
    assert models, "no city-owned models found"
    for model in models:
        assert model in FACTORIES, f"{model.__name__} needs a factory in tests/factories.py"
        column = model.__table__.c.city
        # Its own index, or one that begins with it (Contribution: city, person, type, period).
        leads = any(next(iter(index.columns)).name == "city" for index in model.__table__.indexes)
        assert column.nullable is False and (column.index or leads), model.__name__


@pytest.fixture
def two_cities(app):
    """For each model: (model, binzhou row id, dezhou row id), committed."""
    with app.app_context():
        rows = []
        for seq, model in enumerate(city_models(), start=1):
            mine = FACTORIES[model]("binzhou", seq)
            theirs = FACTORIES[model]("dezhou", seq + 100)
            rows.append((model, mine.id, theirs.id))
        db.session.commit()
        yield rows


def as_request(app, city: str):
    context = app.test_request_context("/", headers={"Host": f"{city}.localhost"})
    context.push()
    app.preprocess_request()
    return context


@pytest.mark.parametrize("model", city_models(), ids=lambda m: m.__name__)
def test_a_request_reads_only_its_own_citys_rows(app, two_cities, model):
    _, mine, theirs = next(row for row in two_cities if row[0] is model)
    context = as_request(app, "binzhou")
    try:
        db.session.expunge_all()
        rows = db.session.scalars(select(model)).all()
        assert rows and {row.city for row in rows} == {"binzhou"}
        assert db.session.get(model, theirs) is None
        assert db.session.get(model, mine) is not None
        assert (
            db.session.scalar(select(func.count()).select_from(model).where(model.id == theirs))
            == 0
        )
        aliased_rows = db.session.scalars(select(model).where(model.id.in_([mine, theirs]))).all()
        assert [row.id for row in aliased_rows] == [mine]
    finally:
        db.session.rollback()
        context.pop()


@pytest.mark.parametrize("model", city_models(), ids=lambda m: m.__name__)
def test_a_request_cannot_change_or_delete_another_citys_rows(app, two_cities, model):
    _, mine, theirs = next(row for row in two_cities if row[0] is model)
    context = as_request(app, "binzhou")
    try:
        changed = db.session.execute(
            update(model).where(model.id == theirs).values(city="binzhou"),
            execution_options={"synchronize_session": False},
        )
        assert changed.rowcount == 0
        removed = db.session.execute(
            delete(model).where(model.id == theirs),
            execution_options={"synchronize_session": False},
        )
        assert removed.rowcount == 0
        db.session.commit()
    finally:
        db.session.rollback()
        context.pop()
    with app.app_context():
        row = db.session.get(model, theirs)
        assert row is not None and row.city == "dezhou"


@pytest.mark.parametrize("model", city_models(), ids=lambda m: m.__name__)
def test_a_request_cannot_write_a_row_into_another_city(app, two_cities, model):
    context = as_request(app, "binzhou")
    try:
        with pytest.raises(CrossCityWrite):
            FACTORIES[model]("dezhou", 500)
    finally:
        db.session.rollback()
        context.pop()
    context = as_request(app, "binzhou")
    try:
        row = FACTORIES[model]("binzhou", 600)
        row.city = "dezhou"
        with pytest.raises(CrossCityWrite):
            db.session.flush()
    finally:
        db.session.rollback()
        context.pop()


def test_new_rows_get_the_request_city_when_none_is_set(app):
    context = as_request(app, "dezhou")
    try:
        from tests.factories import person

        row = person(None, 7)  # type: ignore[arg-type]
        assert row.city == "dezhou"
    finally:
        db.session.rollback()
        context.pop()


def test_relationship_loads_stay_in_the_city(app, two_cities):
    from shebao.people.models import Person

    context = as_request(app, "dezhou")
    try:
        people = db.session.scalars(select(Person)).all()
        assert people
        for one in people:
            assert one.city == "dezhou"
            assert all(insurance.city == "dezhou" for insurance in one.insurances)
    finally:
        db.session.rollback()
        context.pop()
