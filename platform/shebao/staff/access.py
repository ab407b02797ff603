"""Who may open a console page: the city must have the console on, the client must be on
one of its allowed networks, the staff member logged in (``g.staff``) and holding the role the
page needs. Checked on the server for every page, before the view runs."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import wraps

from flask import abort, g, redirect, request, url_for

from ..core.transactions import unit_of_work
from ..tenancy.city import City
from . import sessions

#: Console pages open without a staff login.
OPEN_ENDPOINTS = frozenset({"staff.login", "staff.enrol"})


def client_allowed(city: City, address: str | None) -> bool:
    networks = city.config.staff.allowed_networks
    if not networks:
        return True
    try:
        client = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(client in ipaddress.ip_network(network) for network in networks)


def guard():
    """The staff blueprint's ``before_request``."""
    city = g.city
    if not city.config.staff.enabled:
        abort(404)
    if not client_allowed(city, request.remote_addr):
        abort(403)
    g.personal_data = True
    with unit_of_work():
        g.staff, g.staff_refused = sessions.load(city, request.cookies.get(sessions.COOKIE))
    if g.staff is None and request.endpoint not in OPEN_ENDPOINTS:
        return redirect(url_for("staff.login", why=g.staff_refused or None))
    return None


def requires(role: str) -> Callable:
    """Decorator: the page answers 403 to a member without ``role``."""

    def decorate(view):
        @wraps(view)
        def checked(*args, **kwargs):
            if g.get("staff") is None or not g.staff.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        checked.required_role = role
        return checked

    return decorate
