"""Issue 11's B3 (start-up) and B6 (a worker's memory) alone, beside their baselines.

- B3: seconds from a new Python process to ``create_app()`` returned, with the 2 shipped
  cities and with 50 (48 copies of Binzhou's city.yaml), as ``web_bench.startup_seconds``
  measures it; beside the same for the bare Flask app of ``bare_app.py`` (a new process to
  ``bare()`` returned) and for a bare interpreter. Also the share of it that is importing
  ``shebao.app`` alone. Runs are interleaved (project, bare, …) and the median is printed, so
  that a busy neighbour slows all of them alike; each also as CPU seconds (user + system),
  which such a neighbour distorts less than the wall clock.
- B6: resident memory (VmRSS) of a gunicorn worker of ``shebao:create_app()`` started the
  way ``web_bench`` starts it (no config file, so each worker imports and builds the app
  itself), after the demo resident 张伟 logged in and opened ``/contributions/pension``
  ``REQUESTS`` times; beside the bare Flask app serving the same page the same number of
  times. Also, for production's settings (``deploy/gunicorn.conf.py``: the app built once in
  the master), each worker's proportional set size (PSS: pages shared with the master and
  the other workers counted as a share), which is what a worker really costs there.

``SHEBAO_BENCH_BEFORE``: the root of another checkout of the project (e.g. ``git archive main
| tar -x -C /tmp/before``) measured in the same run, through ``PYTHONPATH``, for before/after
figures. ``SHEBAO_BENCH_POSTGRES`` is the server (as for web_bench); the database
``{SHEBAO_BENCH_PREFIX}_b3b6`` (default ``bench_b3b6``) is created and dropped.

    .venv/bin/python bench/b3_b6_bench.py
"""

from __future__ import annotations

import logging
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import web_bench as wb

RUNS = int(os.environ.get("SHEBAO_BENCH_RUNS", "5"))
REQUESTS = int(os.environ.get("SHEBAO_BENCH_REQUESTS", "100"))
PERSONS = int(os.environ.get("SHEBAO_BENCH_SMALL", "30"))
DATABASE = os.environ.get("SHEBAO_BENCH_PREFIX", "bench") + "_b3b6"
BEFORE = os.environ.get("SHEBAO_BENCH_BEFORE", "")

log = logging.getLogger("bench")


def cities_folder(count: int, folder: Path) -> Path:
    """The shipped cities plus ``count - 2`` copies of Binzhou (as web_bench builds them)."""
    cities_dir = folder / f"cities-{count}"
    if not cities_dir.exists():
        shutil.copytree(wb.ROOT / "cities", cities_dir)
        template = (wb.ROOT / "cities" / "binzhou" / "city.yaml").read_text(encoding="utf-8")
        for n in range(count - 2):
            code = f"city{n:02d}"
            (cities_dir / code).mkdir()
            (cities_dir / code / "city.yaml").write_text(
                template.replace("code: binzhou", f"code: {code}", 1), encoding="utf-8"
            )
    return cities_dir


def _checkout_env(env: dict[str, str], root: Path) -> dict[str, str]:
    """``env`` running the code of the checkout at ``root`` (this one: unchanged)."""
    if root == wb.ROOT:
        return env
    return {**env, "PYTHONPATH": str(root / "platform"), "SHEBAO_ROOT": str(root)}


def _seconds(script: str, env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of a new Python process running ``script``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=cwd, check=True, stderr=subprocess.DEVNULL
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def startup(checkouts: dict[str, Path], env: dict[str, str], folder: Path) -> dict:
    """Median seconds of each start-up, runs interleaved: wall clock (the figure of issue 11)
    and CPU time, which a busy neighbour distorts less (it waits for a core, not in it)."""
    cases: dict[str, tuple[str, dict[str, str], Path]] = {
        "python -c pass": ("pass", env, wb.ROOT),
        "bare Flask app": ("from bare_app import bare; bare()", env, wb.BENCH_DIR),
    }
    for label, root in checkouts.items():
        code_env = _checkout_env(env, root)
        cases[f"{label}: import shebao.app"] = ("import shebao.app", code_env, root)
        for count in (2, 50):
            cases[f"{label}: create_app(), {count} cities"] = (
                "from shebao import create_app; create_app()",
                {**code_env, "SHEBAO_CITIES_DIR": str(cities_folder(count, folder))},
                root,
            )
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
    for _ in range(RUNS):
        for name, (script, case_env, cwd) in cases.items():
            runs[name].append(_seconds(script, case_env, cwd))
    results = {}
    for name, times in runs.items():
        results[f"B3 {name}"] = (statistics.median(wall for wall, _cpu in times), "s")
        results[f"B3 {name} (CPU)"] = (statistics.median(cpu for _wall, cpu in times), "s")
    return results


def _pss_mb(pid: int) -> float:
    text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    return int(re.search(r"^Pss:\s+(\d+) kB", text, re.MULTILINE).group(1)) / 1024


def _workers(server: wb.Server) -> list[int]:
    pids = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if f"\nPPid:\t{server.process.pid}\n" in text:
            pids.append(int(status.parent.name))
    return pids


class ConfiguredServer(wb.Server):
    """Gunicorn with production's ``deploy/gunicorn.conf.py`` (preload_app), on a free port."""

    def __init__(self, env: dict[str, str], root: Path):
        self.port = wb._free_port()
        self.process = subprocess.Popen(
            [
                str(wb.VENV_BIN / "gunicorn"),
                "--config",
                str(root / "deploy" / "gunicorn.conf.py"),
                "--workers",
                str(wb.WORKERS),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--chdir",
                str(root / "deploy"),
                "--log-level",
                "warning",
                "--access-logfile",
                "/dev/null",
                "wsgi:app",
            ],
            env=env,
        )
        deadline = time.monotonic() + 120
        while True:
            try:
                if wb.request(self.port, "/", "localhost")[0]:
                    break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "gunicorn with deploy/gunicorn.conf.py did not start"
                    ) from None
                time.sleep(0.2)


def _serve_page(server: wb.Server, cookie: str) -> None:
    for _ in range(REQUESTS):
        status, _headers, _body = wb.request(server.port, wb.PAGE, wb.HOST, cookie)
        if status != 200:
            raise RuntimeError(f"{wb.PAGE} answered {status}")


def memory(checkouts: dict[str, Path], env: dict[str, str]) -> dict:
    results = {}
    bare = wb.Server("bare_app:bare()", env, wb.BENCH_DIR)
    try:
        _serve_page(bare, "bench_sid=" + wb._bare_session(env))
        results["B6 bare Flask app: largest worker RSS"] = (bare.worker_rss_mb(), "MB")
    finally:
        bare.stop()
    for label, root in checkouts.items():
        code_env = _checkout_env(env, root)
        server = wb.Server("shebao:create_app()", code_env, root)
        try:
            _serve_page(server, wb.login(server.port))
            results[f"B6 {label}: largest worker RSS"] = (server.worker_rss_mb(), "MB")
        finally:
            server.stop()
        server = ConfiguredServer(code_env, root)
        try:
            _serve_page(server, wb.login(server.port))
            pss = [_pss_mb(pid) for pid in _workers(server)]
            results[f"B6 {label}, deploy config: largest worker RSS"] = (
                server.worker_rss_mb(),
                "MB",
            )
            results[f"B6 {label}, deploy config: largest worker PSS"] = (max(pss), "MB")
            results[f"B6 {label}, deploy config: master PSS"] = (
                _pss_mb(server.process.pid),
                "MB",
            )
        finally:
            server.stop()
    return results


def main() -> dict[str, tuple[float, str]]:
    logging.basicConfig(level=logging.INFO, format="bench: %(message)s")
    logging.getLogger("shebao").setLevel(logging.WARNING)
    checkouts = {"project": wb.ROOT}
    if BEFORE:
        checkouts = {"before": Path(BEFORE).resolve(), "project": wb.ROOT}
    results: dict[str, tuple[float, str]] = {}
    with tempfile.TemporaryDirectory(prefix="shebao-bench-b3b6-") as tmp:
        folder = Path(tmp)
        log.info("building %s (%s persons)", DATABASE, PERSONS)
        url, _seed = wb.build_database(DATABASE, PERSONS, folder / "instance")
        env = wb._env(url.replace("postgresql://", "postgresql+psycopg://"), folder / "instance")
        try:
            log.info("B3 start-up, %s runs each", RUNS)
            results.update(startup(checkouts, env, folder))
            log.info("B6 worker memory after %s pages", REQUESTS)
            results.update(memory(checkouts, env))
        finally:
            wb._admin(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    return results


if __name__ == "__main__":
    for name, (value, unit) in main().items():
        print(f"{name}: {value:,.2f} {unit}")
