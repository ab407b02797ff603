"""core.batch: batched inserts write what an ORM insert writes (on PostgreSQL through COPY),
each row's id returned by its key."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from shebao.core.batch import insert_returning, insert_rows
from shebao.core.extensions import db
from shebao.core.time import utcnow
from shebao.modules.card_collection.models import DRAFT, CardApplication


def test_inserted_rows_get_their_ids_and_the_columns_python_defaults(app, make_resident):
    people = [make_resident("binzhou", seq, account=False) for seq in (1, 2, 3)]
    with app.app_context():
        before = utcnow()
        ids = insert_returning(
            CardApplication,
            [
                {"city": "binzhou", "person_id": person.id, "ethnicity": f"0{n}"}
                for n, person in enumerate(people[:2], start=1)
            ],
            key="person_id",
        )
        insert_rows(
            CardApplication,
            [{"city": "binzhou", "person_id": people[2].id, "ethnicity": None, "status": "x"}],
        )
        db.session.commit()
        stored = {row.person_id: row for row in db.session.scalars(select(CardApplication))}
    assert set(ids) == {people[0].id, people[1].id}
    assert all(stored[person_id].id == ids[person_id] for person_id in ids)
    assert [stored[person.id].ethnicity for person in people] == ["01", "02", None]
    assert [stored[person.id].status for person in people] == [DRAFT, DRAFT, "x"]
    for row in stored.values():
        assert before - timedelta(seconds=1) <= row.created_at <= utcnow()
        assert row.updated_at is not None
