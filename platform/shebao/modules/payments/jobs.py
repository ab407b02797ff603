"""Background jobs of the payments module (``core.jobs``), run by ``shebao scheduler``."""

from __future__ import annotations

import logging

from flask import current_app

from .commands import expire_city

log = logging.getLogger("shebao.payments")


def expire_stale_orders(city_code: str) -> dict[str, int]:
    """The periodic job: ``shebao payments expire --city <code>`` as a job. Orders stuck in
    paying are first checked with the bank; one unit of work per order, so a run on several
    nodes at once moves each order once."""
    city = current_app.extensions["shebao.cities"].get(city_code)
    if city is None or not city.module_enabled("payments"):
        return {}
    result = expire_city(city)
    if result.expired or result.paid or result.failed or result.unchecked:
        log.info("expiry in %s: %s", city_code, result)
    return {
        "expired": result.expired,
        "paid": result.paid,
        "failed": result.failed,
        "unchecked": result.unchecked,
    }
