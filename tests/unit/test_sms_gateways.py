"""The SMS port's backends: the outbox file, and the HTTP gateway against a local server."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from shebao.core.settings import Settings, SettingsError
from shebao.integrations.sms import SmsError
from shebao.integrations.sms.http import HttpSms
from shebao.integrations.sms.outbox import OutboxSms


def test_outbox_appends_one_json_line_per_message(tmp_path):
    outbox = OutboxSms(tmp_path / "sms.jsonl")
    outbox.send("binzhou", "13800000001", "验证码 123456")
    outbox.send("dezhou", "13800000002", "second")
    lines = (tmp_path / "sms.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["phone"] for line in lines] == ["13800000001", "13800000002"]
    assert outbox.messages()[0]["text"] == "验证码 123456"


@pytest.fixture
def gateway_server():
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.headers["Authorization"], json.loads(body)))
            self.send_response(500 if b"fail" in body else 202)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/sms", received
    server.shutdown()


def test_http_gateway_posts_json_with_the_token(gateway_server):
    url, received = gateway_server
    HttpSms(url, "token-1").send("binzhou", "13800000001", "您好")
    assert received == [
        ("Bearer token-1", {"city": "binzhou", "phone": "13800000001", "text": "您好"})
    ]


def test_http_gateway_raises_when_the_gateway_refuses_or_is_unreachable(gateway_server):
    url, _ = gateway_server
    with pytest.raises(SmsError):
        HttpSms(url, "t").send("binzhou", "13800000001", "fail")
    with pytest.raises(SmsError):
        HttpSms("http://127.0.0.1:9/none", "t", timeout=1).send("binzhou", "13800000001", "x")


def test_settings_for_the_sms_backends():
    # Strong secrets and a shared rate-limit storage: only the SMS settings are at stake here.
    production = {
        "SHEBAO_ENV": "production",
        "SHEBAO_SECRET_KEY": "Zr8xTq2VbN5mLc7Hd4Jw9Kp3Fy6Gs1Ae0Ui-Ol_Pt8Xv2Qn5Bm7",
        "SHEBAO_BANK_SECRET": "bK3nQ8vX1mZ6tR9wL2cH5yF0jP7dS4gA_eU-iO3uT6rE9qW1",
        "SHEBAO_RATELIMIT_STORAGE_URL": "redis://127.0.0.1:6379/0",
        "SHEBAO_REDIS_URL": "redis://127.0.0.1:6379/1",
    }
    with pytest.raises(SettingsError, match="SHEBAO_SMS_BACKEND"):
        Settings.from_env(production)  # outbox is a sandbox
    with pytest.raises(SettingsError, match="SHEBAO_SMS_HTTP_TOKEN"):
        Settings.from_env(
            {
                **production,
                "SHEBAO_SMS_BACKEND": "http",
                "SHEBAO_SMS_HTTP_URL": "https://sms.example",
            }
        )
    with pytest.raises(SettingsError, match="https"):
        Settings.from_env(
            {
                **production,
                "SHEBAO_SMS_BACKEND": "http",
                "SHEBAO_SMS_HTTP_URL": "http://sms.example",
                "SHEBAO_SMS_HTTP_TOKEN": "t",
            }
        )
    settings = Settings.from_env(
        {
            **production,
            "SHEBAO_SMS_BACKEND": "http",
            "SHEBAO_SMS_HTTP_URL": "https://sms.example",
            "SHEBAO_SMS_HTTP_TOKEN": "t",
        }
    )
    assert settings.production and settings.sms_backend == "http"
    with pytest.raises(SettingsError, match="SHEBAO_CAPTCHA"):
        Settings.from_env(
            {
                **production,
                "SHEBAO_CAPTCHA": "off",
                "SHEBAO_SMS_BACKEND": "http",
                "SHEBAO_SMS_HTTP_URL": "https://sms.example",
                "SHEBAO_SMS_HTTP_TOKEN": "t",
            }
        )
    with pytest.raises(SettingsError, match="SHEBAO_SMS_BACKEND"):
        Settings.from_env({"SHEBAO_SMS_BACKEND": "pigeon"})
