"""The payments read services answer for the city they are given, on their own.

Outside any request nothing scopes queries automatically (that safety net is installed per
request, once the host has named a city), so these calls prove the services' own filter: the
orders list, an order by number, the open orders, the to-do items and the refunds due, each
asked for Binzhou, see none of Dezhou's rows, and the other way round. The two cities overlap:
the same ID number is a person in each, Dezhou has an order on the Binzhou person's id, and a
Dezhou refund row points at a Binzhou order (rows no page should make, and exactly what a
lookup by person, number or order id alone would leak).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from shebao.core.extensions import db
from shebao.modules.payments import services
from shebao.modules.payments.todo import open_order_items
from shebao.people.models import Person
from shebao.tenancy.city import City
from shebao.tenancy.scoping import current_scope
from tests import factories
from tests.factories_payments import bank_notification, payment_order


@pytest.fixture
def orders(app):
    """Binzhou: an open order, and a voided one with money kept for refund. Dezhou: the
    namesake's open order with a refund, a stray open order on the Binzhou person's id, and a
    stray refund on the Binzhou voided order."""
    with app.app_context():
        mine = factories.person("binzhou", 1)
        namesake = factories.person("dezhou", 1)
        assert mine.id_number == namesake.id_number
        own = payment_order("binzhou", 1, person=mine, number="BZOWN0000001")
        voided = payment_order("binzhou", 2, person=mine, number="BZVOID000002", status="voided")
        theirs = payment_order("dezhou", 3, person=namesake, number="DZTHEIRS0003")
        stray = payment_order("dezhou", 4, person=mine, number="DZSTRAY00004")
        bank_notification("binzhou", 1, order=voided, result="refund")
        bank_notification("dezhou", 2, order=theirs, result="refund")
        bank_notification("dezhou", 3, order=voided, result="refund")
        rows = SimpleNamespace(
            mine=mine.id,
            namesake=namesake.id,
            own=own.number,
            own_voided=voided.number,
            theirs=theirs.number,
            stray=stray.number,
        )
        db.session.commit()
    return rows


def city(app, code: str) -> City:
    return app.extensions["shebao.cities"].get(code)


def person(person_id: int) -> Person:
    return db.session.get(Person, person_id)


def test_the_orders_list_and_open_orders_hold_only_the_citys_orders(app, orders):
    with app.app_context():
        assert current_scope() is None  # no request: only the services' own filter
        binzhou, dezhou = city(app, "binzhou"), city(app, "dezhou")
        page = services.orders_page(binzhou, person(orders.mine), 1)
        assert sorted(order.number for order in page.items) == [orders.own, orders.own_voided]
        assert page.total == 2
        assert [o.number for o in services.open_orders(binzhou, person(orders.mine))] == [
            orders.own
        ]
        # Dezhou's list for its own person, and nothing of Binzhou's for the Binzhou id.
        theirs = services.orders_page(dezhou, person(orders.namesake), 1)
        assert [order.number for order in theirs.items] == [orders.theirs]
        assert services.orders_page(binzhou, person(orders.namesake), 1).items == []
        assert services.open_orders(binzhou, person(orders.namesake)) == []


def test_an_order_is_found_only_in_its_city_and_for_its_person(app, orders):
    with app.app_context():
        binzhou, dezhou = city(app, "binzhou"), city(app, "dezhou")
        mine = person(orders.mine)
        assert services.find_order(binzhou, mine, orders.own).number == orders.own
        assert services.find_order(binzhou, mine, orders.stray) is None
        assert services.find_order(binzhou, mine, orders.theirs) is None
        assert services.find_order(dezhou, mine, orders.own) is None
        assert services.order_by_number(binzhou, orders.theirs) is None
        assert services.order_by_number(dezhou, orders.own) is None


def test_to_do_items_are_the_citys_open_orders_only(app, orders):
    with app.test_request_context("/"):  # url_for needs a request; no city is resolved in it
        assert current_scope() is None
        binzhou, dezhou = city(app, "binzhou"), city(app, "dezhou")
        items = open_order_items(binzhou, person(orders.mine))
        assert [item.url for item in items] == [f"/payments/orders/{orders.own}"]
        assert open_order_items(binzhou, person(orders.namesake)) == []
        theirs = open_order_items(dezhou, person(orders.namesake))
        assert [item.url for item in theirs] == [f"/payments/orders/{orders.theirs}"]


def test_refunds_due_are_the_citys_own(app, orders):
    with app.app_context():
        binzhou, dezhou = city(app, "binzhou"), city(app, "dezhou")
        assert [row.order_number for row in services.refunds_due(binzhou)] == [orders.own_voided]
        assert [row.order_number for row in services.refunds_due(dezhou)] == [orders.theirs]
