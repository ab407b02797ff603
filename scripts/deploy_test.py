#!/usr/bin/env python3
"""The deployment test (``make deploy-test``): the production shape on this machine's loopback.

It creates a fresh PostgreSQL database, migrates it and seeds demo data, uses a Redis
database of its own, starts a background-jobs worker, two Gunicorn nodes (deploy/wsgi.py with
deploy/gunicorn.conf.py) and nginx from Debian's package with deploy/nginx/shebao.conf (the
shipped file with this machine's ports, paths and a throw-away certificate put in), and
drives both cities through nginx over HTTPS by their host names: log in, read the
contribution history, pay through the sandbox bank, print a certificate in Binzhou, register
with an SMS code the worker delivered. Midway it kills the node that served a login
(SIGKILL to its whole process group): every later request must be served by the other node,
the session started on the killed node must still work, and no paid order may be lost or
doubled. It prints the counts, and stops everything it started, by PID, even on failure.

The nodes run in the development environment (production refuses the captcha off, the
outbox SMS and the sandbox bank, which an automated test needs) with everything else as in
production: PostgreSQL, Redis rate limits, one proxy hop, JSON logs, strong secrets.

    python scripts/deploy_test.py [--redis-url redis://127.0.0.1:6379/15] [--keep]
"""

from __future__ import annotations

import argparse
import html.parser
import http.client
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
BASE_DOMAIN = "shebao.test"
DEMO_PASSWORD = "Demo2026a"
#: The demo accounts of README.md.
DEMO_LOGIN = {"binzhou": "371602198503120116", "dezhou": "371402198503120115"}
#: Binzhou's demo person without an account who registers by SMS (README.md).
SMS_REGISTRANT = {"id_number": "371602199011230313", "name": "王强", "phone": "13800000003"}
#: A contribution history page each city's menu has.
HISTORY = {"binzhou": "/contributions/pension", "dezhou": "/contributions/unemployment"}
LOGGED_IN = "/account/logout"
SMS_PASSWORD = "Deploy2026b"
STARTUP_SECONDS = 90


class DeployTestFailure(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise DeployTestFailure(message)


def say(message: str) -> None:
    print(f"[deploy-test] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ---------------------------------------------------------------- processes


class Processes:
    """Every process this test starts, each the leader of its own process group, so that
    stopping one (by its PID) stops its children too (Gunicorn's workers, nginx's)."""

    def __init__(self, logs: Path):
        self.logs = logs
        self.started: dict[str, subprocess.Popen] = {}

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("wb")
        process = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.started[name] = process
        return process

    def log(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def kill(self, name: str) -> None:
        """SIGKILL to the process group of ``name``: the node dies at once, workers and all."""
        process = self.started[name]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for name, process in reversed(self.started.items()):
            if process.poll() is not None:
                continue
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
            except ProcessLookupError:
                pass
            say(f"stopped {name} (pid {process.pid})")


def run(argv: list[str], env: dict[str, str], what: str) -> str:
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise DeployTestFailure(f"{what} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


# ---------------------------------------------------------------- HTTP through nginx


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    path: str

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class Form:
    action: str | None
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)
    names: set[str] = field(default_factory=set)
    #: The values each radio group offers.
    choices: dict[str, list[str]] = field(default_factory=dict)


class _Forms(html.parser.HTMLParser):
    """Every form of a page with the values a browser would send by default."""

    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self._select: str | None = None
        self._select_value: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(action=a.get("action")))
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            form.names.add(name)
            if kind == "submit":
                form.buttons.append((name, a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if kind == "radio":
                    form.choices.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
            elif kind != "file":
                form.fields.append((name, a.get("value", "")))
        elif tag == "button" and name:
            form.names.add(name)
            form.buttons.append((name, a.get("value", "")))
        elif tag == "select" and name:
            form.names.add(name)
            self._select, self._select_value = name, None
        elif tag == "option" and self._select:
            if self._select_value is None or "selected" in a:
                self._select_value = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            self.forms[-1].fields.append((self._select, self._select_value or ""))
            self._select = None


def forms_of(page: str) -> list[Form]:
    parser = _Forms()
    parser.feed(page)
    return parser.forms


class Browser:
    """One resident's browser: cookies, a Host header, HTTPS to nginx on the loopback."""

    def __init__(self, city: str, port: int):
        self.city = city
        self.host = f"{city}.{BASE_DOMAIN}"
        self.port = port
        self.cookies: dict[str, str] = {}
        self.context = ssl.create_default_context()
        self.context.check_hostname = False
        self.context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate

    def request(
        self, method: str, path: str, form: list | dict | None = None, referer: str = "/"
    ) -> Answer:
        connection = http.client.HTTPSConnection(
            "127.0.0.1", self.port, context=self.context, timeout=60
        )
        headers = {"Host": self.host}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # As a browser does: over HTTPS, Flask-WTF refuses a form without a same-site Referer.
            headers["Referer"] = f"https://{self.host}{referer}"
            headers["Origin"] = f"https://{self.host}"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        answer_headers = {k.lower(): v for k, v in response.getheaders()}
        return Answer(response.status, answer_headers, data, path)

    def get(self, path: str, follow: bool = True) -> Answer:
        answer = self.request("GET", path)
        for _ in range(5):
            if not (follow and answer.status in (301, 302, 303)):
                break
            answer = self.request("GET", self._local(answer.headers["location"]))
        return answer

    def post(self, path: str, form, follow: bool = True, referer: str = "/") -> Answer:
        answer = self.request("POST", path, form, referer)
        if follow and answer.status in (301, 302, 303):
            return self.get(self._local(answer.headers["location"]))
        return answer

    def submit(
        self,
        page: Answer,
        values: dict,
        button: str | tuple[str, str] | None = None,
        follow=True,
        action: str | None = None,
    ):
        """Send the form of ``page`` that has every field of ``values`` and ``button`` (a
        name, or a name and value when several buttons share the name), and whose action
        ends with ``action`` when given."""
        name, value = button if isinstance(button, tuple) else (button, None)
        wanted = set(values) | ({name} if name else set())
        candidates = [
            f
            for f in forms_of(page.text)
            if wanted <= f.names | {"csrf_token"}
            and (action is None or (f.action or "").endswith(action))
        ]
        check(bool(candidates), f"no form with {sorted(wanted)} on {page.path}")
        form = candidates[0]
        fields = [(k, v) for k, v in form.fields if k not in values]
        fields += list(values.items())
        if name:
            pressed = [b for b in form.buttons if b[0] == name and value in (None, b[1])]
            check(bool(pressed), f"no button {button} on {page.path}")
            fields += pressed[:1]
        action = self._local(form.action) if form.action else page.path
        return self.post(action, fields, follow=follow, referer=page.path)

    def _local(self, location: str) -> str:
        parts = urlsplit(location)
        check(parts.hostname in (None, self.host), f"redirected away to {location}")
        return parts.path + (f"?{parts.query}" if parts.query else "")


# ---------------------------------------------------------------- nginx


def nginx_site(source: str, https: int, http: int, nodes: list[int], tmp: Path) -> str:
    """deploy/nginx/shebao.conf for this machine: loopback ports, the test's base domain,
    certificate, host map, log folder and checkout; nothing else changed."""
    site = source.replace(r"shebao\.example\.gov\.cn", re.escape(BASE_DOMAIN))
    site = re.sub(r"^\s*listen \[::\].*\n", "", site, flags=re.MULTILINE)
    site = re.sub(r"listen 443 ", f"listen 127.0.0.1:{https} ", site)
    site = re.sub(r"listen 80([ ;])", rf"listen 127.0.0.1:{http}\1", site)
    site = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {tmp / 'cert.pem'};", site)
    site = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {tmp / 'key.pem'};", site)
    site = site.replace("/etc/nginx/shebao-cities.map", str(tmp / "shebao-cities.map"))
    site = site.replace("/var/log/nginx/", f"{tmp}/")
    site = site.replace("/srv/shebao", str(ROOT))
    servers = "".join(
        f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;\n" for port in nodes
    )
    site, count = re.subn(
        r"(upstream shebao_app \{\n)(?:.*\n)*?(?=    keepalive)", rf"\1{servers}", site
    )
    check(count == 1, "deploy/nginx/shebao.conf: no upstream shebao_app block to fill in")
    return site


def notify_server(port: int) -> str:
    """A plain-HTTP server on the loopback for the sandbox bank's notifications only (the test
    has no DNS for its host names and a self-signed certificate): the notification goes
    through nginx to whichever node is alive, with its Host header, like a bank's would."""
    return f"""
server {{
    listen 127.0.0.1:{port};
    server_name ~^[a-z0-9-]+\\.{re.escape(BASE_DOMAIN)}$;
    access_log {{log}} shebao_json;
    location /payments/notify/ {{
        proxy_pass http://shebao_app;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_set_header X-Forwarded-Proto https;
        proxy_set_header X-Request-ID $request_id;
        proxy_set_header Connection "";
    }}
    location / {{
        return 404;
    }}
}}
"""


def nginx_main(tmp: Path) -> str:
    user = pwd.getpwuid(ROOT.stat().st_uid).pw_name
    user_line = f"user {user};\n" if os.geteuid() == 0 else ""
    return (
        f"{user_line}worker_processes 1;\ndaemon off;\npid {tmp}/nginx.pid;\n"
        f"error_log {tmp}/error.log warn;\nevents {{ worker_connections 256; }}\n"
        "http {\n    include /etc/nginx/mime.types;\n"
        f"    client_body_temp_path {tmp}/body;\n    proxy_temp_path {tmp}/proxy;\n"
        f"    fastcgi_temp_path {tmp}/fastcgi;\n    uwsgi_temp_path {tmp}/uwsgi;\n"
        f"    scgi_temp_path {tmp}/scgi;\n    include {tmp}/shebao.conf;\n}}\n"
    )


def find_nginx() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found:
        return found
    check(os.geteuid() == 0, "nginx is missing; install Debian's nginx (apt-get install nginx)")
    say("installing nginx (apt-get)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "install", "-y", "-q", "nginx"], check=True, env=env)
    return shutil.which("nginx") or "/usr/sbin/nginx"


def access_log(tmp: Path) -> list[dict]:
    path = tmp / "shebao.access.log"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def upstream_of(tmp: Path, answer: Answer) -> str:
    """The node (host:port) nginx passed the request of ``answer`` to, by its request id."""
    request_id = answer.headers.get("x-request-id")
    check(bool(request_id), f"{answer.path}: no X-Request-ID in the answer")
    for line in access_log(tmp):
        if line["request_id"] == request_id:
            return line["upstream"]
    raise DeployTestFailure(f"request {request_id} is not in nginx's access log")


# ---------------------------------------------------------------- the scenario


def wait_until_ready(port: int, processes: Processes, name: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        check(processes.started[name].poll() is None, f"{name} exited:\n{processes.log(name)}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/readyz", headers={"Host": "127.0.0.1"})
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise DeployTestFailure(f"{name} not ready after {STARTUP_SECONDS} s:\n{processes.log(name)}")


def log_in(browser: Browser) -> Answer:
    return log_in_as(browser, DEMO_LOGIN[browser.city], DEMO_PASSWORD)


def log_in_as(browser: Browser, id_number: str, password: str) -> Answer:
    page = browser.get("/account/login")
    check(page.status == 200, f"{browser.city}: login page answered {page.status}")
    done = browser.submit(page, {"id_number": id_number, "password": password}, follow=False)
    check(done.status == 302, f"{browser.city}: login refused ({done.status})")
    return done


def read_history(browser: Browser) -> None:
    page = browser.get(HISTORY[browser.city])
    check(page.status == 200, f"{browser.city}: history answered {page.status}")
    check(LOGGED_IN in page.text, f"{browser.city}: history page shows no logged-in resident")
    check("<table" in page.text, f"{browser.city}: history page has no table of contributions")


def print_certificate(browser: Browser) -> int:
    page = browser.get("/printing/contribution-certificate")
    check(page.status == 200, f"certificate page answered {page.status}")
    pdf = browser.submit(page, {}, button="submit", follow=False)
    check(pdf.status == 200, f"printing answered {pdf.status}")
    check(pdf.headers.get("content-type", "").startswith("application/pdf"), "not a PDF answer")
    check(pdf.body.startswith(b"%PDF"), "the certificate does not start with %PDF")
    return len(pdf.body)


def register_by_sms(browser: Browser, outbox: Path, processes: Processes) -> str:
    page = browser.get("/account/register?method=sms")
    check(page.status == 200, f"SMS registration page answered {page.status}")
    asked = browser.submit(
        page,
        {k: SMS_REGISTRANT[k] for k in ("id_number", "name", "phone")},
        button="send_code",
    )
    check(asked.status == 200, f"asking for an SMS code answered {asked.status}")
    deadline, code = time.monotonic() + 30, None
    while code is None and time.monotonic() < deadline:
        lines = outbox.read_text(encoding="utf-8").splitlines() if outbox.exists() else []
        for line in lines:  # the last one to the phone wins
            message = json.loads(line)
            if message["phone"] == SMS_REGISTRANT["phone"]:
                code = re.search(r"(?<![0-9])([0-9]{6})(?![0-9])", message["text"]).group(1)
        time.sleep(0.3)
    check(code is not None, "no SMS code reached the outbox within 30 s")
    check("SMS outbox" in processes.log("worker"), "the SMS was not written by the worker")
    password = SMS_PASSWORD
    done = browser.submit(
        asked, {"code": code, "password": password, "confirm": password}, follow=False
    )
    check(done.status == 302, f"registration with the SMS code answered {done.status}")
    return "the worker"


def pay_flexible(browser: Browser, months_back: int) -> str:
    """One flexible-employment month paid through the sandbox bank (its ledger must be shared
    by every node, and its notification must reach the platform through the queue).

    Tries the month ``months_back`` before this one, then earlier ones, until the city's rules
    accept one (the resident may have paid some already); returns the order's bank page."""
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    answer = None
    for back in range(months_back, months_back + 6):
        year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
        period = f"{year}-{month + 1:02d}"
        page = browser.get("/payments/flexible")
        check(page.status == 200, f"flexible payment page answered {page.status}")
        values = {"start": period, "end": period, "types": "pension", "base": "5000"}
        answer = browser.submit(page, values, button=("action", "next"))
        if urlsplit(answer.path).path != "/payments/flexible":
            break
    check(answer is not None and "/payments/flexible" not in answer.path, "no month was accepted")
    for _ in range(4):  # the city's steps (confirm, choose a bank) until the sandbox bank
        if answer.path.startswith("/sandbox-bank/"):
            break
        forms = {f.action.rsplit("/", 1)[-1]: f for f in forms_of(answer.text) if f.action}
        if "pay" in forms:
            banks = forms["pay"].choices.get("bank")
            check(bool(banks), f"{answer.path}: no bank to choose")
            answer = browser.submit(answer, {"bank": banks[0]}, action="/pay")
        else:
            check("confirm" in forms, f"{answer.path}: no next step")
            answer = browser.submit(answer, {}, action="/confirm")
    check(
        answer.path.startswith("/sandbox-bank/"), f"never reached the sandbox bank ({answer.path})"
    )
    bank_page = answer.path
    paid = browser.submit(answer, {}, button=("action", "paid"))  # pay, and notify
    check(paid.status == 200, f"paying answered {paid.status}")
    return bank_page


def paid_orders(database_url: str) -> tuple[int, int]:
    import psycopg

    with psycopg.connect(database_url.replace("+psycopg", "")) as connection:
        orders = connection.execute("SELECT count(*) FROM payment_order WHERE status = 'paid'")
        paid = orders.fetchone()[0]
        doubled = connection.execute(
            "SELECT count(*) FROM (SELECT order_id FROM payment_transition "
            "WHERE to_status = 'paid' GROUP BY order_id HAVING count(*) > 1) AS twice"
        ).fetchone()[0]
    return paid, doubled


def scenario(args, tmp: Path, processes: Processes, cleanup: list) -> None:
    import psycopg
    import redis

    started = time.monotonic()
    queue = redis.Redis.from_url(args.redis_url)
    check(
        queue.dbsize() == 0, f"{args.redis_url} is not empty: give the test a Redis db of its own"
    )
    cleanup.append(("flush Redis", queue.flushdb))

    database = f"shebao_deploy_{secrets.token_hex(4)}"
    admin = args.postgres_url
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{database}"')

    def drop_database():
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    cleanup.append((f"drop database {database}", drop_database))
    database_url = admin.rsplit("/", 1)[0] + "/" + database
    say(f"database {database}, Redis {args.redis_url}, files in {tmp}")

    https, http_port, nodes = free_port(), free_port(), [free_port(), free_port()]
    notify_port = free_port()
    outbox = tmp / "instance" / "sms_outbox.jsonl"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHEBAO_")}
    env.update(
        {
            "SHEBAO_ENV": "development",  # captcha off, outbox SMS and sandbox bank need it
            "SHEBAO_DATABASE_URL": database_url,
            "SHEBAO_BASE_DOMAIN": BASE_DOMAIN,
            "SHEBAO_INSTANCE_DIR": str(tmp / "instance"),
            "SHEBAO_SMS_OUTBOX": str(outbox),
            "SHEBAO_SECRET_KEY": secrets.token_urlsafe(48),
            "SHEBAO_BANK_SECRET": secrets.token_urlsafe(48),
            "SHEBAO_RATELIMIT_STORAGE_URL": args.redis_url,
            "SHEBAO_REDIS_URL": args.redis_url,
            # The sandbox bank posts its notification to nginx on the loopback, keeping the
            # notify URL's Host header (no DNS for shebao.test here).
            # Plain HTTP to nginx's loopback-only notify port, though the notify URL says https.
            "SHEBAO_SANDBOX_BANK_NOTIFY_ADDRESS": f"http://127.0.0.1:{notify_port}",
            "SHEBAO_UPLOADS_STORAGE": "database",
            "SHEBAO_CAPTCHA": "off",
            "SHEBAO_SMS_BACKEND": "outbox",
            "SHEBAO_BANK_BACKEND": "sandbox",
            "SHEBAO_PROXY_HOPS": "1",
            "SHEBAO_LOG_FORMAT": "json",
            "SHEBAO_PASSWORD_SCRYPT_N": "16384",
            "WEB_CONCURRENCY": "2",
        }
    )
    shebao = str(BIN / "shebao")
    run([shebao, "db", "upgrade"], env, "shebao db upgrade")
    run([shebao, "seed-demo", "--persons", "20"], env, "shebao seed-demo")
    (tmp / "shebao-cities.map").write_text(run([shebao, "nginx-map"], env, "shebao nginx-map"))
    say(f"migrated and seeded in {time.monotonic() - started:.0f} s")

    processes.start("worker", [shebao, "worker"], env)

    gunicorn = [str(BIN / "gunicorn"), "--config", "deploy/gunicorn.conf.py", "--chdir", "deploy"]
    for number, port in enumerate(nodes, 1):
        argv = [*gunicorn, "--bind", f"127.0.0.1:{port}", "--name", f"shebao-node{number}"]
        processes.start(f"node{number}", [*argv, "wsgi:app"], env)
    for number, port in enumerate(nodes, 1):
        wait_until_ready(port, processes, f"node{number}")

    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         f"/CN=*.{BASE_DOMAIN}", "-keyout", str(tmp / "key.pem"), "-out", str(tmp / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    source = (ROOT / "deploy" / "nginx" / "shebao.conf").read_text(encoding="utf-8")
    site = nginx_site(source, https, http_port, nodes, tmp)
    site += notify_server(notify_port).replace("{log}", f"{tmp}/shebao.access.log")
    (tmp / "shebao.conf").write_text(site)
    (tmp / "nginx.conf").write_text(nginx_main(tmp))
    nginx = [
        find_nginx(),
        "-p",
        str(tmp),
        "-c",
        str(tmp / "nginx.conf"),
        "-e",
        str(tmp / "error.log"),
    ]
    run([*nginx, "-t"], env, "nginx -t")
    processes.start("nginx", nginx, env)
    say(f"two nodes (:{nodes[0]}, :{nodes[1]}) and nginx (https :{https}) up "
        f"after {time.monotonic() - started:.0f} s")  # fmt: skip

    # --- probes, unknown hosts, static files served by nginx itself
    probe = Browser("binzhou", https)
    probe.host = "127.0.0.1"
    check(probe.get("/readyz").status == 200, "/readyz through nginx by IP address is not 200")
    check(probe.get("/account/login").status == 404, "a bare IP address is not turned away")
    probe.host = f"nowhere.{BASE_DOMAIN}"
    check(probe.get("/").status == 404, "an unknown city is not 404")

    binzhou, dezhou = Browser("binzhou", https), Browser("dezhou", https)
    home = binzhou.get("/")
    check(home.status == 200 and "滨州" in home.text, "Binzhou's home page")
    sheet = re.search(r'href="(/static/theme\.css\?v=[0-9a-f]+)"', home.text)
    check(sheet is not None, "no versioned theme.css on the home page")
    css = binzhou.get(sheet.group(1))
    check(css.status == 200 and "x-request-id" not in css.headers, "theme.css not from nginx")
    check("max-age=315360000" in css.headers.get("cache-control", ""), "no far-future caching")

    # --- both cities: log in, history; Binzhou: certificate, SMS registration, payment
    logins = {city: log_in(b) for city, b in (("binzhou", binzhou), ("dezhou", dezhou))}
    for browser in (binzhou, dezhou):
        read_history(browser)
    pdf_size = print_certificate(binzhou)
    say(f"logged in and read the history in both cities; Binzhou certificate PDF {pdf_size} bytes")
    sms_by = register_by_sms(Browser("binzhou", https), outbox, processes)
    say(f"SMS registration code delivered by {sms_by}")
    payments = 0
    sms_registrant = Browser("binzhou", https)  # 王强, flexible employment, now registered
    log_in_as(sms_registrant, SMS_REGISTRANT["id_number"], SMS_PASSWORD)
    pay_flexible(sms_registrant, months_back=0)
    payments += 1

    # --- kill the node that served Binzhou's login
    killed_address = upstream_of(tmp, logins["binzhou"]).split(",")[-1].strip()
    killed = f"node{[f'127.0.0.1:{p}' for p in nodes].index(killed_address) + 1}"
    survivor_address = next(f"127.0.0.1:{p}" for p in nodes if f"127.0.0.1:{p}" != killed_address)
    before = len(access_log(tmp))
    processes.kill(killed)
    say(f"SIGKILL {killed} ({killed_address}), which served Binzhou's login")

    read_history(binzhou)  # the session started on the killed node
    for _ in range(10):
        read_history(dezhou)
        read_history(binzhou)
        check(binzhou.get("/").status == 200, "Binzhou's home page after the kill")
    pdf_size = print_certificate(binzhou)
    pay_flexible(sms_registrant, months_back=0)
    payments += 1

    after = [line for line in access_log(tmp)[before:] if line["upstream"] not in ("", "-")]
    served = {}
    for line in after:
        last = line["upstream"].split(",")[-1].strip()  # a retried request names both
        served[last] = served.get(last, 0) + 1
    failed = [line for line in after if line["status"] >= 500]
    check(not failed, f"{len(failed)} requests failed after the kill: {failed[:3]}")
    check(set(served) == {survivor_address}, f"after the kill, served by {served}")
    paid, doubled = paid_orders(database_url)
    deadline = time.monotonic() + 30  # notifications travel through the queue
    while paid < payments and time.monotonic() < deadline:
        time.sleep(0.5)
        paid, doubled = paid_orders(database_url)
    check(paid == payments, f"{paid} orders paid, {payments} payments made")
    check(doubled == 0, f"{doubled} orders were marked paid twice")

    say(
        f"COUNTS: after the kill {sum(served.values())} requests, all served by the survivor "
        f"{survivor_address}, {len(failed)} failed; session from {killed} still logged in; "
        f"orders paid {paid} of {payments} payments, doubled {doubled}"
    )
    say(f"passed in {time.monotonic() - started:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("DEPLOY_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL role that may create databases (the test creates and drops its own)",
    )  # fmt: skip
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("DEPLOY_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
        help="an empty Redis database for the test alone (flushed at the end)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="shebao-deploy-"))
    os.chmod(tmp, 0o755)  # nginx's workers read the certificate and map
    processes = Processes(tmp)
    cleanup: list = []
    failed = False
    try:
        scenario(args, tmp, processes, cleanup)
    except (DeployTestFailure, subprocess.CalledProcessError) as error:
        failed = True
        say(f"FAILED: {error}")
        for name in processes.started:
            say(f"--- last lines of {name}:")
            print("\n".join(processes.log(name).splitlines()[-15:]), flush=True)
        if (tmp / "error.log").exists():
            print((tmp / "error.log").read_text()[-3000:], flush=True)
    finally:
        processes.stop_all()
        for what, step in reversed(cleanup):
            try:
                step()
                say(what)
            except Exception as error:  # noqa: BLE001 - clean up the rest anyway
                say(f"could not {what}: {error}")
                failed = True
        if args.keep or failed:
            say(f"files kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
