"""Every console page checks its role on the server and stays in its own city: a walk over
every page of the staff blueprint."""

from __future__ import annotations

import re

import pytest

from shebao.staff.access import OPEN_ENDPOINTS
from shebao.staff.models import ROLES
from tests.staff_helpers import csrf_of, make_staff, staff_login


def staff_rules(app):
    rules = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("staff.") and rule.endpoint not in OPEN_ENDPOINTS:
            role = getattr(app.view_functions[rule.endpoint], "required_role", None)
            path = re.sub(r"<int:[a-z_]+>", "1", rule.rule)
            methods = sorted(rule.methods & {"GET", "POST"})
            rules.append((rule.endpoint, role, path, methods))
    return rules


def test_every_page_but_start_and_logout_names_its_role(app):
    for endpoint, role, _path, _methods in staff_rules(app):
        if endpoint in {"staff.home", "staff.logout"}:
            assert role is None
        else:
            assert role in ROLES, f"{endpoint} declares no role"


@pytest.mark.parametrize("role", ROLES)
def test_a_member_without_the_role_gets_403_on_each_of_its_pages(app, client_for, role):
    others = [r for r in ROLES if r != role]
    client = client_for("dezhou")
    staff_login(client, make_staff(app, "dezhou", "someone", *others))
    token = csrf_of(client, "/staff/")
    checked = 0
    for _endpoint, needed, path, methods in staff_rules(app):
        if needed != role:
            continue
        for method in methods:
            response = client.open(path, method=method, data={"csrf_token": token})
            assert response.status_code == 403, (method, path)
            checked += 1
    assert checked


@pytest.mark.parametrize("role", ROLES)
def test_a_member_with_the_role_opens_its_pages(app, client_for, role):
    client = client_for("binzhou")
    staff_login(client, make_staff(app, "binzhou", "holder", role))
    for _endpoint, needed, path, methods in staff_rules(app):
        if needed == role and "GET" in methods and "/1" not in path:
            response = client.get(path)
            assert response.status_code == 200, path
            assert response.get_data(as_text=True).count("<h1") == 1, path
            assert response.headers["Cache-Control"] == "no-store"


def test_walking_every_page_with_another_citys_session_is_never_logged_in(app, client_for):
    """A Binzhou administrator's cookie on Dezhou's host opens no page there, not even with
    every role; their own city's pages open."""
    binzhou = client_for("binzhou")
    staff_login(binzhou, make_staff(app, "binzhou", "admin.b", *ROLES))
    cookie = binzhou.get_cookie("shebao_staff", domain="binzhou.localhost", path="/staff")
    dezhou = client_for("dezhou")
    dezhou.set_cookie("shebao_staff", cookie.value, domain="dezhou.localhost", path="/staff")
    for _endpoint, _role, path, methods in staff_rules(app):
        if "GET" in methods:
            response = dezhou.get(path)
            assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    assert binzhou.get("/staff/members").status_code == 200


def test_the_console_is_404_where_a_city_has_it_off(app, client_for, city_of):
    city = city_of("dezhou")
    shipped = city.config
    staff_off = shipped.model_copy(
        update={"staff": shipped.staff.model_copy(update={"enabled": False})}
    )
    object.__setattr__(city, "config", staff_off)  # the City is frozen: as if the YAML said so
    try:
        client = client_for("dezhou")
        assert client.get("/staff/login").status_code == 404
        assert client.get("/notices/").status_code == 404
        assert "通知公告" not in client.get("/").get_data(as_text=True)
    finally:
        object.__setattr__(city, "config", shipped)
