"""Who may open what without logging in: every module page asks for a login, bar the public ones.

The cases come from the registry (``shebao.registry.all_modules()``) and the cities the tests
run (the shipped ones and the fixture city): each menu entry of each module, for each city, is
either asked for a login (302 to the login page, which then returns to the page asked for), open
to anyone (the public pages named below), or not offered there (404, before and after logging
in). A module or page added later is covered the day it is declared. The routes outside the menu
(order pages, form actions, the photo image, exit) are walked from the app's URL map.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from shebao.core.settings import PROJECT_ROOT
from shebao.registry import all_modules
from shebao.tenancy.loader import load_cities
from tests.conftest import CSRF_INPUT, FIXTURE_CITIES, SHIPPED_CITIES

LOGIN = "/account/login"
LOGIN_REQUIRED, PUBLIC, NOT_OFFERED = "login", "public", "absent"

#: Menu pages anyone may open, by city. Binzhou offers employment with the module's default
#: ``public: true``; Dezhou does not offer employment; Linhu sets ``employment.public: false``.
PUBLIC_MENU_PAGES = {
    "binzhou": {"employment.jobs", "employment.seekers"},
    "dezhou": set(),
    "linhu": set(),
}
#: Account pages anyone may open, by city (each city chooses its ways to register and recover).
PUBLIC_ACCOUNT_PAGES = {
    "binzhou": ("/account/login", "/account/register", "/account/forgot-password"),
    "dezhou": ("/account/login", "/account/recover"),
    "linhu": ("/account/login", "/account/register", "/account/forgot-password"),
}
#: Every endpoint of a module that is open without a login besides public menu entries:
#: logging in and recovering an account, the bank's payment notifications, certificate checks,
#: and the idle warning's extend button (it refuses a visitor itself: 401, or the login page;
#: tests/functional/test_session_extend.py).
PUBLIC_ENDPOINTS = {
    "account.captcha_image",
    "account.extend_session",
    "account.forgot_password",
    "account.login",
    "account.recover",
    "account.register",
    "payments.notify",
    "printing.verify",
}
#: Values for the variable parts of routes outside the menu (anonymous requests never reach
#: the view, so no such order needs to exist).
ROUTE_VALUES = {"number": "P202601010000001", "bank": "icbc", "message_id": 1}


def _cities():
    modules = all_modules()
    themes = PROJECT_ROOT / "themes"
    for folder in (SHIPPED_CITIES, FIXTURE_CITIES):
        yield from load_cities(folder, themes, "localhost", modules)


def _menu_cases():
    for city in _cities():
        for module in all_modules().values():
            for entry in module.entries:
                if not city.entry_enabled(module.name, entry.key):
                    outcome = NOT_OFFERED
                elif entry.endpoint in PUBLIC_MENU_PAGES.get(city.code, set()):
                    outcome = PUBLIC
                else:
                    outcome = LOGIN_REQUIRED
                yield pytest.param(
                    city.code, entry.endpoint, outcome, id=f"{city.code}-{entry.endpoint}-{outcome}"
                )


MENU_CASES = list(_menu_cases())
CITY_CODES = sorted({case.values[0] for case in MENU_CASES})


def path_of(app, endpoint: str) -> str:
    return app.url_map.bind("localhost").build(endpoint, ROUTE_VALUES)


def methods_of(app, endpoint: str) -> set[str]:
    (rule,) = [rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint]
    return set(rule.methods or ()) - {"HEAD", "OPTIONS"}


def login_return(response) -> str | None:
    """The page the login page will return to, if ``response`` sends there; else None."""
    if response.status_code != 302:
        return None
    location = urlsplit(response.headers["Location"])
    if location.path != LOGIN:
        return None
    return parse_qs(location.query).get("next", [None])[0]


def csrf_token(client) -> str:
    """A valid CSRF token of the anonymous session (from the login form)."""
    match = CSRF_INPUT.search(client.get(LOGIN).get_data(as_text=True))
    assert match, "no CSRF token on the login page"
    return match.group(1)


@pytest.mark.parametrize("code, endpoint, outcome", MENU_CASES)
def test_an_anonymous_visitor_opening_a_menu_page(app, client_for, code, endpoint, outcome):
    visitor = client_for(code)
    path = path_of(app, endpoint)
    response = visitor.get(path)
    if outcome == NOT_OFFERED:
        assert response.status_code == 404
    elif outcome == PUBLIC:
        assert response.status_code == 200
        assert "<h1>" in response.get_data(as_text=True)
    else:
        assert login_return(response) == path
        if "POST" in methods_of(app, endpoint):  # sending the page's form asks for a login too
            sent = visitor.post(path, data={"csrf_token": csrf_token(visitor)})
            assert login_return(sent) == path


def test_the_cases_cover_every_module_and_what_the_cities_leave_out():
    cases = {case.values for case in MENU_CASES}
    asking = {endpoint.partition(".")[0] for _, endpoint, outcome in cases if outcome == "login"}
    assert asking == set(all_modules())  # every module has a page behind the login somewhere
    assert ("linhu", "employment.jobs", LOGIN_REQUIRED) in cases  # employment.public: false
    assert ("binzhou", "employment.seekers", PUBLIC) in cases
    for endpoint in ("labour.filings", "printing.contribution_certificate", "employment.jobs"):
        assert ("dezhou", endpoint, NOT_OFFERED) in cases
    for endpoint in ("todo.list", "card_collection.info", "card_collection.photo"):
        assert ("binzhou", endpoint, NOT_OFFERED) in cases
    assert ("dezhou", "card.report_loss", NOT_OFFERED) in cases  # card.loss_report: false


def test_the_public_endpoints_are_the_declared_ones():
    """A module declaring a new public endpoint must be looked at here (and tested)."""
    declared = set().union(*(module.public_endpoints for module in all_modules().values()))
    assert declared == PUBLIC_ENDPOINTS


@pytest.mark.parametrize("code", CITY_CODES)
def test_every_other_route_of_an_offered_module_asks_for_a_login(app, client_for, code):
    city = app.extensions["shebao.cities"].get(code)
    modules = app.extensions["shebao.modules"]
    menu = {entry.endpoint for module in modules.values() for entry in module.entries}
    visitor = client_for(code)
    token = csrf_token(visitor)
    wrong = []
    checked = set()
    for rule in app.url_map.iter_rules():
        module_name, _, view = rule.endpoint.partition(".")
        if module_name not in modules or view == "static" or rule.endpoint in menu:
            continue
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        path = path_of(app, rule.endpoint)
        if "GET" in rule.methods:
            response = visitor.get(path)
        else:
            response = visitor.post(path, data={"csrf_token": token})
        checked.add(rule.endpoint)
        if not city.module_enabled(module_name):
            if response.status_code != 404:
                wrong.append(f"{path}: {response.status_code}, expected 404 (module not offered)")
        elif login_return(response) != path:
            wrong.append(f"{path}: {response.status_code} {response.headers.get('Location')}")
    assert wrong == []
    assert checked >= {"account.exit", "card.cancel_loss_report", "payments.order", "payments.pay"}
    assert "card_collection.photo_image" in checked


def test_the_login_page_returns_to_the_page_with_its_query(binzhou):
    path = "/personal-info/progress?serial=2026030200000001"
    assert login_return(binzhou.get(path)) == path


@pytest.mark.parametrize("code", CITY_CODES)
def test_the_account_pages_anyone_may_open(client_for, code):
    visitor = client_for(code)
    for path in PUBLIC_ACCOUNT_PAGES[code]:
        response = visitor.get(path)
        assert response.status_code == 200, path
        assert "<h1>" in response.get_data(as_text=True), path
    captcha = visitor.get("/account/captcha.png")
    assert captcha.status_code == 200 and captcha.mimetype == "image/png"


@pytest.mark.parametrize("code", CITY_CODES)
def test_pages_a_city_does_not_offer_stay_404_after_logging_in(
    app, client_for, make_resident, code
):
    absent = [
        endpoint
        for city_code, endpoint, outcome in (case.values for case in MENU_CASES)
        if city_code == code and outcome == NOT_OFFERED
    ]
    resident = make_resident(code, 7)
    visitor = client_for(code)
    assert visitor.login(resident.id_number, resident.password).status_code == 302
    for endpoint in absent:
        assert visitor.get(path_of(app, endpoint)).status_code == 404, endpoint
