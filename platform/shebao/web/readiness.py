"""Whether this node can serve residents: what ``/readyz`` reports to the load balancer.

Each check answers ``ok``, ``unavailable`` or ``not configured``; the reason of a failure is
logged, never sent (it may name a host or hold a password of a URL).
"""

from __future__ import annotations

import logging

from flask import Flask
from sqlalchemy import text

from ..core.extensions import db

log = logging.getLogger(__name__)

OK, UNAVAILABLE, NOT_CONFIGURED = "ok", "unavailable", "not configured"
#: Seconds a probe waits for Redis: a load balancer's probe must not hang.
REDIS_TIMEOUT = 2.0


def redis_url(settings) -> str:
    """The Redis this process depends on: ``SHEBAO_REDIS_URL`` (background jobs) when the
    settings have it, else the rate-limit storage when that is Redis; empty when neither."""
    url = getattr(settings, "redis_url", "") or ""
    if not url and settings.ratelimit_storage.startswith(("redis://", "rediss://", "unix://")):
        url = settings.ratelimit_storage
    return url


def _database() -> str:
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure means not ready
        log.warning("readiness: database unavailable (%s)", type(error).__name__)
        return UNAVAILABLE
    return OK


def _redis(url: str) -> str:
    if not url:
        return NOT_CONFIGURED
    import redis  # here: a web process that never probes Redis does not load its client

    try:
        client = redis.Redis.from_url(
            url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT
        )
        try:
            client.ping()
        finally:
            client.close()
    except Exception as error:  # noqa: BLE001 - any failure means not ready
        log.warning("readiness: Redis unavailable (%s)", type(error).__name__)
        return UNAVAILABLE
    return OK


def check(app: Flask) -> dict[str, str | int]:
    """Every check by name; ``cities`` is how many cities are loaded."""
    settings = app.config["SHEBAO_SETTINGS"]
    return {
        "database": _database(),
        "redis": _redis(redis_url(settings)),
        "cities": len(list(app.extensions["shebao.cities"])),
    }


def is_ready(checks: dict[str, str | int]) -> bool:
    return (
        checks["database"] == OK
        and checks["redis"] in (OK, NOT_CONFIGURED)
        and int(checks["cities"]) > 0
    )
