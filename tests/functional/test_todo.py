"""待办事项 (Dezhou): the person's unfinished business, each linked to where it stopped."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import Blueprint

from shebao.modules.todo.services import todo_items
from shebao.modules.todo.sources import TodoItem
from shebao.tenancy.modules import FeatureModule, ModuleCatalogue

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def text(response) -> str:
    return response.get_data(as_text=True)


def test_open_orders_are_listed_with_a_link_that_continues_them(dezhou, make_resident):
    resident = make_resident("dezhou", 1, category="flexible")
    dezhou.login(resident.id_number, resident.password)
    empty = text(dezhou.get("/todo/list?lang=en"))
    assert empty.count("<h1>") == 1 and "You have no unfinished business" in empty

    created = dezhou.submit(
        "/payments/flexible",
        {"start": "2026-11", "end": "2026-11", "types": ["pension"], "base": "4100"},
    )
    order_path = created.headers["Location"]
    number = order_path.rsplit("/", 1)[1]
    page = text(dezhou.get("/todo/list?lang=en"))
    assert number in page and f'href="{order_path}"' in page
    assert "Awaiting confirmation" in page and "820.00" in page and 'scope="col"' in page

    # Continue: the link opens the step where the order stopped (查看应缴).
    assert "Review the amount due" in text(dezhou.get(order_path + "?lang=en"))

    # Once voided, it is no longer unfinished business.
    token = CSRF.search(text(dezhou.get(order_path))).group(1)
    dezhou.post(order_path + "/void", data={"csrf_token": token})
    assert number not in text(dezhou.get("/todo/list?lang=en"))


def test_the_list_is_dezhous_module_only(binzhou, make_resident):
    resident = make_resident("binzhou", 1)
    binzhou.login(resident.id_number, resident.password)
    assert binzhou.get("/todo/list").status_code == 404


_LATE = TodoItem("Card application", "Photo missing", "/card/x", datetime(2026, 2, 1, tzinfo=UTC))
_EARLY = TodoItem("Card application", "Bank missing", "/card/y", datetime(2026, 1, 1, tzinfo=UTC))
_blueprint = Blueprint("card_collection", __name__)


def _card_source(city, person):
    return [_LATE, _EARLY]


def test_each_enabled_module_declares_its_own_sources():
    """Sources come from the module declarations, only of the modules the city enabled."""
    card = FeatureModule(
        name="card_collection",
        label="Card",
        package=__name__,
        blueprint=":_blueprint",
        todo_sources=(":_card_source",),
    )

    class City:
        catalogue = ModuleCatalogue([card])

        def __init__(self, enabled):
            self.enabled = enabled

        def module_enabled(self, name):
            return name in self.enabled

    assert todo_items(City({"card_collection"}), person=None) == [_EARLY, _LATE]  # oldest first
    assert todo_items(City(set()), person=None) == []  # a city without the module
