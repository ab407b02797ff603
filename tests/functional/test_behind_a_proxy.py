"""Behind nginx: the client address comes from X-Forwarded-For through exactly
SHEBAO_PROXY_HOPS proxies, and the load balancer's probes answer on any host."""

from __future__ import annotations

import pytest
import redis
from flask.testing import FlaskClient
from sqlalchemy import select

from shebao import create_app
from shebao.audit import AuditEvent
from shebao.core.extensions import db
from tests.conftest import CSRF_INPUT, CityClient

#: The first address is whatever the client wrote; the last is what nginx appended.
FORWARDED = "203.0.113.7, 198.51.100.9"
REDIS_DB = "redis://127.0.0.1:6379/10"


@pytest.fixture
def app_behind(app, settings):
    """Another app on the same database, with ``proxy_hops`` proxies in front of it."""

    def make(hops: int, **changes):
        other = create_app(
            settings.model_copy(update={"proxy_hops": hops, **changes}), {"TESTING": True}
        )
        other.test_client_class = CityClient
        client = other.test_client()
        client.host = "binzhou.localhost"
        return other, client

    return make


def login_address(app, client, resident) -> str:
    page = client.login(resident.id_number, resident.password)
    assert page.status_code == 302, page.get_data(as_text=True)
    with app.app_context():
        return db.session.scalars(
            select(AuditEvent.client_address).where(AuditEvent.event == "login")
        ).one()


def test_one_hop_takes_the_last_forwarded_address(app_behind, make_resident):
    resident = make_resident("binzhou")
    other, client = app_behind(1)
    client.environ_base = {"HTTP_X_FORWARDED_FOR": FORWARDED, "REMOTE_ADDR": "127.0.0.1"}
    assert login_address(other, client, resident) == "198.51.100.9"


def test_two_hops_take_the_address_before_the_last(app_behind, make_resident):
    resident = make_resident("binzhou")
    other, client = app_behind(2)
    client.environ_base = {"HTTP_X_FORWARDED_FOR": FORWARDED, "REMOTE_ADDR": "127.0.0.1"}
    assert login_address(other, client, resident) == "203.0.113.7"


def test_no_hop_ignores_the_header_and_takes_the_socket_address(app, binzhou, make_resident):
    resident = make_resident("binzhou")
    binzhou.environ_base = {"HTTP_X_FORWARDED_FOR": FORWARDED, "REMOTE_ADDR": "192.0.2.44"}
    assert login_address(app, binzhou, resident) == "192.0.2.44"


def test_rate_limits_count_per_forwarded_address(app_behind):
    """The login page takes 30 posts a minute per client: behind one proxy, two residents
    behind the same nginx are counted apart; a forged first address changes nothing."""
    other, client = app_behind(1)
    with other.app_context():
        from shebao.core.extensions import limiter

        limiter.reset()

    token = CSRF_INPUT.search(client.get("/account/login").get_data(as_text=True)).group(1)
    form = {"csrf_token": token, "id_number": "371602198001020019", "password": "x"}

    def post(forwarded: str) -> int:
        client.environ_base = {"HTTP_X_FORWARDED_FOR": forwarded, "REMOTE_ADDR": "127.0.0.1"}
        return client.post("/account/login", data={**form, "captcha": "nope"}).status_code

    statuses = [post(f"10.9.9.{n}, 198.51.100.9") for n in range(31)]
    assert statuses[:30] == [200] * 30  # a wrong captcha: the form again, counted
    assert statuses[30] == 429  # the forged first addresses did not make 31 clients
    assert post("198.51.100.10") == 200  # another resident behind the same nginx is not limited


@pytest.mark.parametrize("host", ["binzhou.localhost", "127.0.0.1", "unknown.example.org"])
def test_healthz_answers_on_any_host_without_the_database(app, host):
    client = FlaskClient(app)
    page = client.get("/healthz", headers={"Host": host})
    assert page.status_code == 200
    assert page.get_json() == {"status": "ok"}
    assert page.headers["X-Request-ID"]


@pytest.mark.parametrize("host", ["binzhou.localhost", "10.0.0.5", "unknown.example.org"])
def test_readyz_answers_on_any_host_when_the_database_answers(app, host):
    page = FlaskClient(app).get("/readyz", headers={"Host": host})
    assert page.status_code == 200
    body = page.get_json()
    assert body["status"] == "ready"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"] == "not configured"  # the tests count limits in memory
    assert body["checks"]["cities"] == len(list(app.extensions["shebao.cities"]))


def test_readyz_is_503_when_the_database_is_unreachable(app_behind, tmp_path):
    missing = tmp_path / "no-such-folder" / "db.sqlite3"
    _other, client = app_behind(0, database_url=f"sqlite:///{missing}")
    page = client.get("/readyz", headers={"Host": "127.0.0.1"})
    assert page.status_code == 503
    body = page.get_json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "unavailable"
    assert str(missing) not in page.get_data(as_text=True)  # nothing about the setup leaks
    assert client.get("/healthz").status_code == 200  # alive all the same


@pytest.fixture
def redis_at(app, monkeypatch):
    """The app's settings, as /readyz reads them, with the rate limits in ``url``."""

    def use(url: str) -> None:
        changed = app.config["SHEBAO_SETTINGS"].model_copy(update={"ratelimit_storage": url})
        monkeypatch.setitem(app.config, "SHEBAO_SETTINGS", changed)

    return use


def test_readyz_is_503_when_redis_is_unreachable(app, redis_at):
    # Nothing listens on port 9 (discard) of the loopback: the connection is refused at once.
    redis_at("redis://127.0.0.1:9/0")
    page = FlaskClient(app).get("/readyz", headers={"Host": "127.0.0.1"})
    assert page.status_code == 503
    assert page.get_json()["checks"] == {
        "database": "ok",
        "redis": "unavailable",
        "cities": page.get_json()["checks"]["cities"],
    }


def redis_reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_DB, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.mark.skipif(not redis_reachable(), reason="no Redis on 127.0.0.1:6379 (.ci/run has one)")
def test_readyz_checks_the_redis_of_the_rate_limits(app, redis_at):
    redis_at(REDIS_DB)
    page = FlaskClient(app).get("/readyz", headers={"Host": "127.0.0.1"})
    assert page.status_code == 200
    assert page.get_json()["checks"]["redis"] == "ok"
