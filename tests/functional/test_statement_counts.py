"""How many SQL statements the busiest pages send: a budget per page, so a page that starts
asking the database once per row (a lazy load in a loop, a query per month) fails here.

Counts, never timers: each page is opened once to warm up, then counted on the second
opening, logged in as Binzhou's demo employee 张伟 (every module's demo data). The figures
are the same on SQLite and PostgreSQL (the pool's liveness ping is no statement of ours).
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from shebao.core.extensions import db
from shebao.people.demo import DEMO_PASSWORD, DEMO_PEOPLE, demo_id_number
from shebao.seeding import seed_city

#: The page and the most statements it may send: the session and account read, and the
#: header's unread-message count (消息中心) on every logged-in page, included.
BUDGETS = {
    # ... and the city's latest announcements (通知公告).
    "/": 3,
    "/personal-info/basic": 3,
    # One aggregate (years, the year's totals, the pension summary); the page's rows.
    "/contributions/pension": 4,
    "/contributions/pension?year=2020&page=1": 4,
    "/contributions/medical": 4,
    "/payments/orders": 4,
    "/printing/contribution-certificate": 6,
}


@contextmanager
def counting(app):
    """``statements`` lists the SQL the app sends inside the block."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


@pytest.fixture
def zhang_wei(app, city_of, binzhou):
    city = city_of("binzhou")
    with app.app_context():
        seed_city(city, persons=0, seed=2026)
    assert binzhou.login(demo_id_number(city, DEMO_PEOPLE[0]), DEMO_PASSWORD).status_code == 302
    return binzhou


@pytest.mark.parametrize("path", list(BUDGETS))
def test_a_busy_page_stays_within_its_statement_budget(app, zhang_wei, path):
    assert zhang_wei.get(path).status_code == 200
    with counting(app) as statements:
        response = zhang_wei.get(path)
    assert response.status_code == 200
    assert len(statements) <= BUDGETS[path], "\n\n".join(statements)


def test_the_counter_sees_every_statement(app, zhang_wei):
    # Without the fixes the history page sent seven statements; the counter must see them all.
    with counting(app) as statements:
        zhang_wei.get("/contributions/pension")
    assert len(statements) >= 3
    assert any("contribution" in statement for statement in statements)


def test_the_orders_page_reads_every_order_line_in_one_statement(app, city_of, zhang_wei):
    from datetime import date
    from decimal import Decimal

    from sqlalchemy import select

    from shebao.modules.payments.models import PaymentOrderLine
    from shebao.people.models import Person
    from tests import factories  # noqa: F401  (registers every module's factories first)
    from tests.factories_payments import payment_order

    city = city_of("binzhou")
    with app.app_context():
        me = db.session.scalar(
            select(Person).where(Person.id_number == demo_id_number(city, DEMO_PEOPLE[0]))
        )
        for seq in range(1, 11):
            order = payment_order("binzhou", 900 + seq, person=me, status="expired")
            for month in (1, 2, 3):
                db.session.add(
                    PaymentOrderLine(
                        city="binzhou",
                        order_id=order.id,
                        person_id=me.id,
                        insurance_type="pension",
                        period=date(2030 + seq, month, 1),
                        base=Decimal("4000.00"),
                        amount=Decimal("800.00"),
                        holds_period=False,
                    )
                )
        db.session.commit()
    zhang_wei.get("/payments/orders")
    with counting(app) as statements:
        response = zhang_wei.get("/payments/orders")
    assert response.status_code == 200
    # The session and account, the unread messages, the count, the page's orders, all their
    # lines: the same with ten orders as with one.
    assert len(statements) <= 5, "\n\n".join(statements)
