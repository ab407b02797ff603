"""Public employment pages: thin views that parse the search, call the services and render."""

from __future__ import annotations

from flask import Blueprint, g, request

from ...core.time import local_today
from ...people.categories import SEXES
from ...web.queries import QueryError, parse_page
from ...web.templating import render
from . import NAME, services
from .forms import JobSearchForm, SeekerSearchForm
from .services import SearchProblems
from .vocabulary import EDUCATION_LABELS, OCCUPATION_LABELS

blueprint = Blueprint(NAME, __name__, url_prefix="/employment", template_folder="templates")


def _kept(form_class) -> dict[str, str]:
    """The search parameters to keep in the pager's links."""
    return {name: request.args[name] for name in form_class.FIELDS if request.args.get(name)}


def _labels() -> dict:
    return {
        "occupation_labels": OCCUPATION_LABELS,
        "education_labels": EDUCATION_LABELS,
        "sex_labels": SEXES,
    }


@blueprint.route("/jobs")
def jobs():
    city = g.city
    today = local_today()
    districts = services.job_districts(city, today)
    form = JobSearchForm(request.args, districts)
    page = error = None
    try:
        search = services.parse_job_search(request.args, districts)
        page = services.search_jobs(city, search, today, parse_page(request.args.get("page")))
    except SearchProblems as problems:
        form.attach(problems.problems)
    except QueryError as refusal:
        error = str(refusal)
    return render(
        "employment/jobs.html",
        title=city.entry_label(NAME, "jobs"),
        form=form,
        page=page,
        error=error,
        args=_kept(JobSearchForm),
        **_labels(),
    )


@blueprint.route("/seekers")
def seekers():
    city = g.city
    today = local_today()
    districts = services.seeker_districts(city)
    form = SeekerSearchForm(request.args, districts)
    page = error = None
    try:
        search = services.parse_seeker_search(request.args, districts)
        page = services.search_seekers(city, search, today, parse_page(request.args.get("page")))
    except SearchProblems as problems:
        form.attach(problems.problems)
    except QueryError as refusal:
        error = str(refusal)
    return render(
        "employment/seekers.html",
        title=city.entry_label(NAME, "seekers"),
        form=form,
        page=page,
        error=error,
        args=_kept(SeekerSearchForm),
        **_labels(),
    )
