"""Issue 11's figures B1–B7 against gunicorn and PostgreSQL, with their baselines, in one run.

- B1 the logged-in contribution-history page (/contributions/pension, Binzhou, demo person
  张伟): requests/s and median latency of the project, of the bare Flask app running the same
  SQL statements with one Jinja template (bench/bare_app.py) and of a hello-world app (the
  ceiling of server, client and machine). Same gunicorn settings for all three (sync workers,
  one a core); rounds interleaved (project, bare, hello, project, …) so a busy neighbour
  slows all of them alike. The load comes from a threaded Python client in this process
  (``CONCURRENCY`` connections; nothing to install).
- B2 the same page on a database of ``LARGE`` generated persons against ``SMALL``.
- B3 start-up (a new process to ``create_app()`` done) with 50 cities against the 2 shipped.
- B4 personal rights-record PDFs a process prints per second (POST /printing/rights-record).
- B5 bulk load into PostgreSQL: ``seed-demo`` contribution rows/s, and ``shebao import --kind
  contributions`` rows/s for 10,000 and 100,000 rows (flat in file size?).
- B6 resident memory (RSS) of the project's largest gunicorn worker after B1.
- B7 logins per second per process at the production hash strength (scrypt N=32768).
- SQL statements per page for the five busiest pages (counted in process).

PostgreSQL: ``SHEBAO_BENCH_POSTGRES`` (default ``postgresql://postgres@127.0.0.1:5432/postgres``)
is used to create and drop the databases ``bench_web_small`` and ``bench_web_large``.
``SHEBAO_BENCH_LARGE`` sets the large scale (default 5,000 persons, some 4.5 M rows; issue 11
measured 25,000 persons and 22 M rows, which takes too long to build on every run).
"""

from __future__ import annotations

import http.client
import logging
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
VENV_BIN = Path(sys.executable).parent
ADMIN_URL = os.environ.get("SHEBAO_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
SMALL = int(os.environ.get("SHEBAO_BENCH_SMALL", "1000"))
LARGE = int(os.environ.get("SHEBAO_BENCH_LARGE", "5000"))
ROUNDS = int(os.environ.get("SHEBAO_BENCH_ROUNDS", "3"))
#: Rows of the two import files (B5: rows/s should not fall as the file grows).
IMPORTS = tuple(int(n) for n in os.environ.get("SHEBAO_BENCH_IMPORTS", "10000,100000").split(","))
#: Prefix of the databases this run creates (two runs at once need different ones).
PREFIX = os.environ.get("SHEBAO_BENCH_PREFIX", "bench_web")
SECONDS = float(os.environ.get("SHEBAO_BENCH_SECONDS", "5"))
CONCURRENCY = 4
WORKERS = os.cpu_count() or 2
HOST = "binzhou.localhost"
PAGE = "/contributions/pension"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
#: The five busiest pages a logged-in resident opens (statements counted for each).
BUSY_PAGES = (
    "/",
    "/contributions/pension",
    "/personal-info/basic",
    "/payments/orders",
    "/printing/contribution-certificate",
)

log = logging.getLogger("bench")


def _zhang_wei() -> str:
    """张伟's ID number in Binzhou (the first demo person, with an account)."""
    from shebao.people.demo import DEMO_PEOPLE, REGIONS
    from shebao.people.idnumber import make_id_number

    person = DEMO_PEOPLE[0]
    return make_id_number(REGIONS["371600"][0], person.birth, person.sequence)


# --- databases -------------------------------------------------------------------------------


def _database_url(name: str) -> str:
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(
        ADMIN_URL.replace("postgresql+psycopg", "postgresql"), autocommit=True
    ) as c:
        c.execute(sql)


def _env(database_url: str, instance: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "SHEBAO_DATABASE_URL": database_url,
        "SHEBAO_INSTANCE_DIR": str(instance),
        "SHEBAO_SMS_OUTBOX": str(instance / "sms.jsonl"),
        "SHEBAO_CAPTCHA": "off",
        **extra,
    }


def _app(env: dict[str, str], **config):
    from shebao import create_app
    from shebao.core.settings import Settings

    names = {k: v for k, v in env.items() if k.startswith("SHEBAO_")}
    return create_app(Settings.from_env(names), {"RATELIMIT_ENABLED": False, **config})


def build_database(name: str, persons: int, instance: Path) -> tuple[str, dict[str, float]]:
    """A fresh database of ``persons`` generated Binzhou people (plus the demo people);
    returns its URL and the seed figures (rows, seconds)."""
    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from shebao.core.extensions import db
    from shebao.modules.contributions.models import Contribution
    from shebao.seeding import seed_city

    _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _admin(f"CREATE DATABASE {name}")
    url = _database_url(name)
    app = _app(_env(url, instance))
    with app.app_context():
        logging.getLogger("alembic").setLevel(logging.WARNING)
        upgrade(revision="heads")
        logging.getLogger("alembic").setLevel(logging.WARNING)
        city = app.extensions["shebao.cities"].get("binzhou")
        started = time.perf_counter()
        seed_city(city, persons=persons, seed=2026)
        seconds = time.perf_counter() - started
        rows = db.session.scalar(select(func.count()).select_from(Contribution))
        db.session.remove()
        db.engine.dispose()
    with psycopg_connection(url) as connection:
        connection.execute("VACUUM ANALYZE")
    return url, {"rows": rows, "seconds": seconds}


@contextmanager
def psycopg_connection(url: str):
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        yield connection


# --- servers and load ------------------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A gunicorn master with ``WORKERS`` sync workers, started and stopped by PID."""

    def __init__(self, spec: str, env: dict[str, str], chdir: Path):
        self.port = _free_port()
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "--workers",
                str(WORKERS),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--chdir",
                str(chdir),
                "--log-level",
                "warning",
                spec,
            ],
            env=env,
        )
        deadline = time.monotonic() + 120
        while True:
            try:
                status, _h, _b = request(self.port, "/", "localhost")
                if status:
                    break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn {spec} did not start") from None
                time.sleep(0.2)

    def worker_rss_mb(self) -> float:
        """The largest worker's resident memory."""
        sizes = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status.read_text()
            except OSError:
                continue
            if f"\nPPid:\t{self.process.pid}\n" in text:
                kb = re.search(r"VmRSS:\s+(\d+) kB", text)
                sizes.append(int(kb.group(1)) / 1024 if kb else 0)
        return max(sizes, default=0.0)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def request(port: int, path: str, host: str, cookie: str = "", method="GET", body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": host}
    if cookie:
        headers["Cookie"] = cookie
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def _cookie_from(headers, name: str, current: str) -> str:
    for key, value in headers:
        if key.lower() == "set-cookie" and value.startswith(name + "="):
            return value.split(";", 1)[0]
    return current


def login(port: int) -> str:
    """Log 张伟 in through the server; the session cookie (``name=value``)."""
    from urllib.parse import urlencode

    from shebao.people.demo import DEMO_PASSWORD

    status, headers, body = request(port, "/account/login", HOST)
    cookie = _cookie_from(headers, "shebao_session", "")
    token = CSRF.search(body.decode()).group(1)
    form = urlencode(
        {
            "id_number": _zhang_wei(),
            "password": DEMO_PASSWORD,
            "captcha": "0000",
            "csrf_token": token,
        }
    )
    status, headers, body = request(port, "/account/login", HOST, cookie, "POST", form)
    if status != 302:
        raise RuntimeError(f"login refused ({status})")
    return _cookie_from(headers, "shebao_session", cookie)


def load(port: int, path: str, host: str, jars: list[str], seconds: float) -> dict[str, float]:
    """``CONCURRENCY`` clients asking for ``path`` for ``seconds``; client ``i`` sends
    ``jars[i]`` and keeps there the cookie the server last sent it, from round to round, as a
    browser does."""
    latencies: list[float] = []
    set_cookies = [0]
    errors = [0]
    deadline = time.perf_counter() + seconds
    lock = threading.Lock()

    def client(index: int) -> None:
        mine, sent, failed = [], 0, 0
        jar = jars[index]
        name = jar.split("=", 1)[0]
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            status, headers, _body = request(port, path, host, jar)
            mine.append(time.perf_counter() - started)
            if status != 200:
                failed += 1
            if any(k.lower() == "set-cookie" for k, _v in headers):
                sent += 1
                jar = _cookie_from(headers, name, jar) if jar else jar
        jars[index] = jar
        with lock:
            latencies.extend(mine)
            set_cookies[0] += sent
            errors[0] += failed

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "rps": len(latencies) / elapsed,
        "p50": 1000 * statistics.median(latencies),
        "set_cookie": set_cookies[0] / max(1, len(latencies)),
        "errors": errors[0],
    }


def _median_of(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(run[key] for run in runs)


# --- in-process figures ----------------------------------------------------------------------


def statements_per_page(env: dict[str, str]) -> dict[str, int]:
    """SQL statements each busy page sends (the second time it is opened)."""
    from sqlalchemy import event

    from shebao.core.extensions import db
    from shebao.people.demo import DEMO_PASSWORD

    app = _app(env)
    counted = [0]
    with app.app_context():
        engine = db.engine

    def count(*_args) -> None:
        counted[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    client = app.test_client()
    base = f"http://{HOST}/"
    page = client.get("/account/login", base_url=base).get_data(as_text=True)
    client.post(
        "/account/login",
        base_url=base,
        data={
            "id_number": _zhang_wei(),
            "password": DEMO_PASSWORD,
            "captcha": "0000",
            "csrf_token": CSRF.search(page).group(1),
        },
    )
    found = {}
    for path in BUSY_PAGES:
        client.get(path, base_url=base)
        counted[0] = 0
        response = client.get(path, base_url=base)
        found[path] = (counted[0], response.status_code)
    event.remove(engine, "before_cursor_execute", count)
    with app.app_context():
        db.engine.dispose()
    return {f"SQL statements {path} ({status})": n for path, (n, status) in found.items()}


def rights_records_per_second(env: dict[str, str], documents: int = 10) -> float:
    from shebao.core.extensions import db

    app = _app(env)
    client = app.test_client()
    base = f"http://{HOST}/"
    from shebao.people.demo import DEMO_PASSWORD

    page = client.get("/account/login", base_url=base).get_data(as_text=True)
    client.post(
        "/account/login",
        base_url=base,
        data={
            "id_number": _zhang_wei(),
            "password": DEMO_PASSWORD,
            "captcha": "0000",
            "csrf_token": CSRF.search(page).group(1),
        },
    )
    form = client.get("/printing/rights-record", base_url=base).get_data(as_text=True)
    token = CSRF.search(form).group(1)

    def one() -> None:
        response = client.post("/printing/rights-record", base_url=base, data={"csrf_token": token})
        if response.mimetype != "application/pdf":
            raise RuntimeError(f"no PDF ({response.status_code})")

    one()
    started = time.perf_counter()
    for _ in range(documents):
        one()
    rate = documents / (time.perf_counter() - started)
    with app.app_context():
        db.engine.dispose()
    return rate


def logins_per_second(env: dict[str, str], logins: int = 8) -> float:
    from shebao.core.extensions import db
    from shebao.people.demo import DEMO_PASSWORD

    app = _app({**env, "SHEBAO_PASSWORD_SCRYPT_N": "32768"})
    # The demo password was hashed at seeding's strength; hash it again at N=32768 first.
    from sqlalchemy import update

    from shebao.account.models import Account
    from shebao.account.secrets import hash_secret

    with app.app_context():
        with db.session.begin():
            db.session.execute(
                update(Account)
                .where(Account.city == "binzhou")
                .values(password_hash=hash_secret(DEMO_PASSWORD))
            )
    base = f"http://{HOST}/"
    times = []
    for _ in range(logins + 1):
        client = app.test_client()
        page = client.get("/account/login", base_url=base).get_data(as_text=True)
        data = {
            "id_number": _zhang_wei(),
            "password": DEMO_PASSWORD,
            "captcha": "0000",
            "csrf_token": CSRF.search(page).group(1),
        }
        started = time.perf_counter()
        response = client.post("/account/login", base_url=base, data=data)
        times.append(time.perf_counter() - started)
        if response.status_code != 302:
            raise RuntimeError(f"login refused ({response.status_code})")
    with app.app_context():
        db.engine.dispose()
    return 1 / statistics.median(times[1:])


def startup_seconds(cities: int, folder: Path, env: dict[str, str]) -> float:
    """Median seconds from a new Python process to ``create_app()`` returned."""
    cities_dir = folder / f"cities-{cities}"
    if not cities_dir.exists():
        shutil.copytree(ROOT / "cities", cities_dir)
        template = (ROOT / "cities" / "binzhou" / "city.yaml").read_text(encoding="utf-8")
        for n in range(cities - 2):
            code = f"city{n:02d}"
            (cities_dir / code).mkdir()
            (cities_dir / code / "city.yaml").write_text(
                template.replace("code: binzhou", f"code: {code}", 1), encoding="utf-8"
            )
    script = "from shebao import create_app; create_app()"
    runs = []
    for _ in range(2):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", script],
            env={**env, "SHEBAO_CITIES_DIR": str(cities_dir)},
            check=True,
            stderr=subprocess.DEVNULL,
        )
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def import_rows_per_second(env: dict[str, str], rows: int, folder: Path) -> float:
    """``shebao import --kind contributions`` of ``rows`` new rows (people already there)."""
    from sqlalchemy import select

    from shebao.core.extensions import db
    from shebao.people.models import Person

    app = _app(env)
    with app.app_context():
        people = db.session.scalars(
            select(Person.id_number).where(Person.city == "binzhou").order_by(Person.id)
        ).all()
        db.engine.dispose()
    path = folder / f"contributions-{rows}.csv"
    # Months after every seeded record (2040–2059, five employee insurances), one person at a
    # time: all new rows.
    from b5_bench import write_file

    write_file(path, people, rows, start_year=2040)
    started = time.perf_counter()
    subprocess.run(
        [
            str(VENV_BIN / "shebao"),
            "import",
            "--city",
            "binzhou",
            "--kind",
            "contributions",
            str(path),
        ],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return rows / (time.perf_counter() - started)


# --- the run ---------------------------------------------------------------------------------


def main() -> dict[str, tuple[float, str]]:
    logging.basicConfig(level=logging.INFO, format="bench: %(message)s")
    logging.getLogger("shebao").setLevel(logging.WARNING)
    results: dict[str, tuple[float, str]] = {}
    with tempfile.TemporaryDirectory(prefix="shebao-bench-web-") as tmp:
        folder = Path(tmp)
        log.info("building bench_web_small (%s persons)", SMALL)
        small_url, small_seed = build_database(f"{PREFIX}_small", SMALL, folder / "small")
        log.info("building bench_web_large (%s persons)", LARGE)
        large_url, large_seed = build_database(f"{PREFIX}_large", LARGE, folder / "large")
        small_env = _env(
            small_url.replace("postgresql://", "postgresql+psycopg://"), folder / "small"
        )
        large_env = _env(
            large_url.replace("postgresql://", "postgresql+psycopg://"), folder / "large"
        )
        servers = {}
        try:
            servers["project"] = Server("shebao:create_app()", small_env, ROOT)
            servers["project, large"] = Server("shebao:create_app()", large_env, ROOT)
            servers["bare"] = Server("bare_app:bare()", small_env, BENCH_DIR)
            servers["hello"] = Server("bare_app:hello()", small_env, BENCH_DIR)
            cookie = login(servers["project"].port)
            cookie_large = login(servers["project, large"].port)
            bare_cookie = "bench_sid=" + _bare_session(small_env)
            targets = {
                "project": (PAGE, HOST, [cookie] * CONCURRENCY),
                "project, large": (PAGE, HOST, [cookie_large] * CONCURRENCY),
                "bare": (PAGE, HOST, [bare_cookie] * CONCURRENCY),
                "hello": ("/", "localhost", [""] * CONCURRENCY),
            }
            runs: dict[str, list] = {name: [] for name in targets}
            for name, (path, host, jar) in targets.items():
                load(servers[name].port, path, host, jar, 1)  # warm-up
            for round_ in range(ROUNDS):
                for name, (path, host, jar) in targets.items():
                    runs[name].append(load(servers[name].port, path, host, jar, SECONDS))
                log.info(
                    "round %s: %s", round_ + 1, {n: round(r[-1]["rps"]) for n, r in runs.items()}
                )
            rss = servers["project"].worker_rss_mb()
            bare_rss = servers["bare"].worker_rss_mb()
        finally:
            for server in servers.values():
                server.stop()
        for name in targets:
            results[f"B1 {name}: requests/s"] = (_median_of(runs[name], "rps"), "req/s")
            results[f"B1 {name}: p50"] = (_median_of(runs[name], "p50"), "ms")
        results["B1 project ÷ bare (req/s)"] = (
            results["B1 project: requests/s"][0] / results["B1 bare: requests/s"][0],
            "×",
        )
        results["B1 project: responses with Set-Cookie"] = (
            100 * _median_of(runs["project"], "set_cookie"),
            "%",
        )
        results["B1 project: non-200 responses"] = (
            sum(run["errors"] for run in runs["project"]),
            "responses",
        )
        results[f"B2 p50 {LARGE:,} ÷ {SMALL:,} persons"] = (
            results["B1 project, large: p50"][0] / results["B1 project: p50"][0],
            "×",
        )
        results[f"B2 contribution rows, {LARGE:,} persons"] = (large_seed["rows"], "rows")
        log.info("B3 start-up")
        results["B3 start-up, 2 cities"] = (startup_seconds(2, folder, small_env), "s")
        results["B3 start-up, 50 cities"] = (startup_seconds(50, folder, small_env), "s")
        log.info("B4 rights-record PDFs")
        results["B4 rights-record PDFs per process"] = (
            rights_records_per_second(small_env),
            "PDFs/s",
        )
        results["B5 seed-demo contribution rows/s (PostgreSQL)"] = (
            large_seed["rows"] / large_seed["seconds"],
            "rows/s",
        )
        log.info("B5 import")
        for rows in IMPORTS:
            results[f"B5 import contributions, {rows:,} rows"] = (
                import_rows_per_second(small_env, rows, folder),
                "rows/s",
            )
        results["B6 RSS of the largest project worker after B1"] = (rss, "MB")
        results["B6 RSS of the largest bare worker after B1"] = (bare_rss, "MB")
        log.info("B7 logins")
        results["B7 logins per process (scrypt N=32768)"] = (
            logins_per_second(small_env),
            "logins/s",
        )
        log.info("SQL statements per page")
        for name, count in statements_per_page(small_env).items():
            results[name] = (count, "statements")
    for name in (f"{PREFIX}_small", f"{PREFIX}_large"):
        _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    return results


def _bare_session(env: dict[str, str]) -> str:
    """A session row for 张伟's account, opened the project's way; its id (the bare app's
    cookie)."""
    from sqlalchemy import select

    from shebao.account.models import Account
    from shebao.account.sessions import open_session
    from shebao.core.extensions import db
    from shebao.people.models import Person

    app = _app(env)
    with app.app_context():
        city = app.extensions["shebao.cities"].get("binzhou")
        account = db.session.scalar(
            select(Account)
            .join(Person, Person.id == Account.person_id)
            .where(Person.id_number == _zhang_wei())
        )
        session_id = open_session(city, account)
        db.session.commit()
        db.engine.dispose()
    return session_id


if __name__ == "__main__":
    for name, (value, unit) in main().items():
        print(f"{name}: {value:,.2f} {unit}")
