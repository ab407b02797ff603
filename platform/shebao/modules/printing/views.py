"""打印业务: choose the conditions, see the certificate on screen, press 打印 for the PDF; and
the public page that verifies a printed certificate's code.

Thin: read the conditions, ask the services, render; printing is one unit of work (the record
is kept only when the PDF was made).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, g, request
from flask_babel import gettext as _

from ...core.extensions import limiter
from ...core.transactions import unit_of_work
from ...people.current import current_person
from ...web.queries import QueryError
from ...web.templating import render
from . import NAME, services
from .forms import PrintForm

blueprint = Blueprint(NAME, __name__, template_folder="templates")

PRINT_LIMIT = "20/minute;200/hour"
VERIFY_LIMIT = "30/minute;300/hour"


def _certificate_view(key: str):
    def view():
        city = g.city
        if not city.entry_enabled(NAME, key):
            abort(404)
        person = current_person()
        title = city.entry_label(NAME, key)
        form = PrintForm()
        printing = request.method == "POST"
        if printing and not form.validate_on_submit():
            abort(400)
        conditions = request.form if printing else request.args
        certificate = error = nothing = None
        try:
            certificate = services.build(city, person, key, conditions)
        except QueryError as problem:
            error = str(problem)
        except services.NothingToCertify as refusal:
            nothing = refusal.message
        if printing and certificate is not None:
            with unit_of_work():
                issued = services.issue(city, person, certificate, title, request.host)
            return Response(
                issued.pdf,
                mimetype="application/pdf",
                headers={
                    "Content-Disposition": (
                        f'attachment; filename="{key}-{issued.record.serial}.pdf"'
                    )
                },
            )
        return render(
            "printing/certificate.html",
            title=title,
            key=key,
            person=person,
            certificate=certificate,
            form=form,
            error=error,
            nothing=nothing,
            total_labels=services.TOTAL_LABELS,
        ), (200 if not printing else 422)

    view.__name__ = key
    return view


for _key in services.BUILDERS:
    blueprint.add_url_rule(
        "/printing/" + _key.replace("_", "-"),
        endpoint=_key,
        view_func=limiter.limit(PRINT_LIMIT, methods=["POST"])(_certificate_view(_key)),
        methods=["GET", "POST"],
    )


@blueprint.route("/verify/<path:code>")
@limiter.limit(VERIFY_LIMIT)
def verify(code: str):
    """Public: is this a genuine certificate of this city? Shows to whom (masked), what, when.

    Never stored by a browser or a proxy (``no-store``), like every page with personal data:
    a masked name and ID number and the certificate's totals are still personal data, and the
    page is opened without logging in, often on a shared computer.
    """
    g.personal_data = True
    verified = services.verify(g.city, code)
    kind_label = None
    if verified is not None:
        kind_label = g.city.entry_label(NAME, verified.record.kind)
    return render(
        "printing/verify.html",
        title=_("Verify a certificate"),
        verified=verified,
        kind_label=kind_label,
    ), (200 if verified is not None else 404)
