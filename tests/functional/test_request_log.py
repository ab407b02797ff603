"""One log line per request: request id (sent back as X-Request-ID), city, endpoint, method,
path, status, duration, client address; never a password, code, full ID number or phone."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import pytest

from shebao.web.request_log import json_formatter
from tests.conftest import PROJECT_ROOT, TEST_ENV, last_code

FIELDS = {
    "request_id",
    "city",
    "endpoint",
    "method",
    "path",
    "status",
    "duration_ms",
    "remote_addr",
}


@pytest.fixture
def request_lines(caplog):
    """The request log's records as the JSON lines production writes."""
    caplog.set_level(logging.INFO, logger="shebao.request")
    formatter = json_formatter()

    def lines() -> list[dict]:
        records = [r for r in caplog.records if r.name == "shebao.request"]
        return [json.loads(formatter.format(record)) for record in records]

    return lines


def test_each_request_is_one_line_with_its_id_sent_back(binzhou, request_lines):
    page = binzhou.get("/account/login?next=/personal-info/basic")
    [line] = request_lines()

    assert FIELDS <= set(line)
    assert line["request_id"] == page.headers["X-Request-ID"]
    assert len(line["request_id"]) == 32
    assert (line["city"], line["endpoint"], line["method"]) == ("binzhou", "account.login", "GET")
    assert (line["path"], line["status"]) == ("/account/login", 200)  # no query string
    assert line["duration_ms"] >= 0 and line["remote_addr"] == "127.0.0.1"
    assert line["logger"] == "shebao.request" and line["level"] == "INFO"


def test_a_sane_incoming_request_id_is_kept_and_an_odd_one_replaced(binzhou, request_lines):
    kept = binzhou.get("/", headers={"X-Request-ID": "nginx-4f1c2a9e8b7d6c5a"})
    assert kept.headers["X-Request-ID"] == "nginx-4f1c2a9e8b7d6c5a"
    for odd in ("short", "a" * 65, "bad id with spaces", "id\u4e2d\u6587xxxxxxxx", "<script>x"):
        answer = binzhou.get("/", headers={"X-Request-ID": odd})
        assert answer.headers["X-Request-ID"] != odd
        assert len(answer.headers["X-Request-ID"]) == 32
    assert [line["request_id"] for line in request_lines()][0] == "nginx-4f1c2a9e8b7d6c5a"


def test_unknown_hosts_and_probes_are_logged_without_a_city(client_for, request_lines):
    client = client_for("nowhere", host="nowhere.localhost")
    assert client.get("/account/login").status_code == 404
    [line] = request_lines()
    assert (line["city"], line["status"], line["path"]) == (None, 404, "/account/login")


def test_logins_and_registrations_leave_no_secret_in_the_log(
    binzhou, make_resident, sms_outbox, request_lines, caplog
):
    resident = make_resident("binzhou")
    stranger = make_resident("binzhou", 2, account=False)
    assert binzhou.login(resident.id_number, "Wrong2026pass").status_code == 200
    register = "/account/register?method=sms"
    asked = binzhou.submit(
        register,
        {
            "id_number": stranger.id_number,
            "name": stranger.name,
            "phone": stranger.phone,
            "send_code": "免费获取手机验证码",
        },
    )
    assert asked.status_code == 200
    code = last_code(sms_outbox(), stranger.phone)
    form = {
        "id_number": stranger.id_number,
        "name": stranger.name,
        "phone": stranger.phone,
        "code": code,
        "password": "Fresh2026pass",
        "confirm": "Fresh2026pass",
    }
    assert binzhou.submit(register, form).status_code == 302
    assert binzhou.login(resident.id_number, resident.password).status_code == 302
    binzhou.get(f"/verify/{code}ABCDEF")  # a path argument that is a code
    binzhou.get(f"/{resident.id_number}/{resident.phone}")  # someone typed them into the path

    lines = request_lines()
    assert {line["endpoint"] for line in lines} >= {"account.login", "account.register"}
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    for secret in (
        resident.password,
        "Wrong2026pass",
        "Fresh2026pass",
        code,
        resident.id_number,
        stranger.id_number,
        resident.phone,
        stranger.phone,
        resident.id_number[-8:],
    ):
        assert secret not in text, secret
    assert "/verify/<code>" in text and "/<digits>/<digits>" in text


def test_json_format_writes_every_line_as_json_on_stderr(settings, tmp_path):
    """SHEBAO_LOG_FORMAT=json, as production has it: stderr holds JSON objects only."""
    script = (
        "from shebao import create_app\n"
        "from shebao.core.settings import Settings\n"
        "app = create_app(Settings.from_env())\n"
        "client = app.test_client()\n"
        "client.get('/healthz', headers={'Host': '10.0.0.1'})\n"
        "client.get('/?q=371602198503120116', headers={'Host': 'binzhou.localhost'})\n"
    )
    env = {
        **os.environ,
        **TEST_ENV,
        "SHEBAO_LOG_FORMAT": "json",
        "SHEBAO_DATABASE_URL": settings.database_url,
        "SHEBAO_CITIES_DIR": str(settings.cities_dir),
        "SHEBAO_INSTANCE_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stderr.splitlines()]  # each one JSON
    requests = [line for line in lines if line["logger"] == "shebao.request"]
    assert [(r["path"], r["status"], r["city"]) for r in requests] == [
        ("/healthz", 200, None),
        ("/", 200, "binzhou"),
    ]
    assert "371602198503120116" not in done.stderr
