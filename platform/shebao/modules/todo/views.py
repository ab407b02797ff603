"""待办事项: the person's unfinished business, each with a link that continues it."""

from __future__ import annotations

from flask import Blueprint, g

from ...core.time import format_moment
from ...people.current import current_person
from ...web.templating import render
from . import NAME, services

blueprint = Blueprint(NAME, __name__, url_prefix="/todo", template_folder="templates")


@blueprint.route("/list")
def list():  # noqa: A001  (the endpoint is todo.list, as the city menus name it)
    person = current_person()
    return render(
        "todo/list.html",
        title=g.city.entry_label(NAME, "list"),
        items=services.todo_items(g.city, person),
        local_time=format_moment,
    )
