"""劳动用工备案: the resident's own labour contract filings, paged."""

from __future__ import annotations

from flask import Blueprint, g, request

from ...people.current import current_person
from ...web.queries import Page, QueryError, parse_page
from ...web.templating import render
from . import NAME, services
from .vocabulary import CONTRACT_LABELS, STATUS_LABELS

blueprint = Blueprint(NAME, __name__, url_prefix="/labour", template_folder="templates")


@blueprint.route("/filings")
def filings():
    error = None
    page = Page(items=[], number=1, per_page=services.PAGE_SIZE, total=0)
    try:
        page = services.filings_page(g.city, current_person(), parse_page(request.args.get("page")))
    except QueryError as problem:
        error = str(problem)
    return render(
        "labour/filings.html",
        title=g.city.entry_label(NAME, "filings"),
        page=page,
        error=error,
        contract_types=CONTRACT_LABELS,
        statuses=STATUS_LABELS,
    )
