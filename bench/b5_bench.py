"""B5 alone: bulk load into PostgreSQL, the code of this tree beside a baseline, in one run.

Figures (each measured for the baseline and for this tree, on fresh databases of the same
PostgreSQL server, one after the other):

- ``seed-demo`` contribution rows/s: ``seed_city`` of ``SHEBAO_B5_PERSONS`` Binzhou people
  (default 5,000, the large database of bench/web_bench.py), contribution rows / seconds;
- ``shebao import --kind contributions`` rows/s of files of ``SHEBAO_B5_IMPORTS`` new rows
  (default 10,000, 50,000 and 100,000), the whole command as bench/web_bench.py times it
  (process start-up included), and the engine's ``import_file`` alone, timed inside the
  same process, so that what the rows cost and what start-up costs are seen apart.

The baseline is the tree of a git revision (``SHEBAO_B5_BASELINE``, default ``main``;
``none`` skips it), extracted to a temporary folder, its ``platform`` folder put first on
``PYTHONPATH`` of the subprocesses that measure it. Usage::

    .venv/bin/python bench/b5_bench.py
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
PYTHON = sys.executable
ADMIN_URL = os.environ.get("SHEBAO_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
PERSONS = int(os.environ.get("SHEBAO_B5_PERSONS", "5000"))
#: People of the database the files are imported into (bench/web_bench.py: its small one).
IMPORT_PERSONS = int(os.environ.get("SHEBAO_B5_IMPORT_PERSONS", "1000"))
IMPORTS = tuple(
    int(n) for n in os.environ.get("SHEBAO_B5_IMPORTS", "10000,50000,100000").split(",")
)
#: Default: the last commit before issue 11's bulk-load work (seeding by INSERT batches,
#: imports validated row by row).
BASELINE = os.environ.get("SHEBAO_B5_BASELINE", "cb061ff")
PREFIX = os.environ.get("SHEBAO_B5_PREFIX", "bench_b5")

HEADER = ("id_number", "insurance_type", "period", "base", "individual", "employer", "status")
TYPES = ("职工养老保险", "职工医疗保险", "失业保险", "工伤保险", "生育保险")


def _url(name: str, driver: str = "postgresql") -> str:
    return ADMIN_URL.replace("postgresql", driver, 1).rsplit("/", 1)[0] + "/" + name


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(sql)


def _env(source: Path | None, database: str, instance: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "SHEBAO_DATABASE_URL": _url(database, "postgresql+psycopg"),
        "SHEBAO_INSTANCE_DIR": str(instance),
        "SHEBAO_SMS_OUTBOX": str(instance / "sms.jsonl"),
        "SHEBAO_CAPTCHA": "off",
    }
    if source is not None:
        env["PYTHONPATH"] = str(source)
    return env


#: Run in a subprocess (the tree under test on its path): build the database, seed it, print
#: the figures as JSON.
SEED = """
import json, logging, sys, time
from flask_migrate import upgrade
from sqlalchemy import func, select
from shebao import create_app
from shebao.core.extensions import db
from shebao.core.settings import Settings
from shebao.modules.contributions.models import Contribution
from shebao.seeding import seed_city
import os
names = {k: v for k, v in os.environ.items() if k.startswith("SHEBAO_")}
app = create_app(Settings.from_env(names), {"RATELIMIT_ENABLED": False})
with app.app_context():
    logging.disable(logging.WARNING)
    upgrade(directory=sys.argv[2], revision="heads")
    city = app.extensions["shebao.cities"].get("binzhou")
    started = time.perf_counter()
    seed_city(city, persons=int(sys.argv[1]), seed=2026)
    seconds = time.perf_counter() - started
    rows = db.session.scalar(select(func.count()).select_from(Contribution))
    ids = db.session.execute(
        __import__("sqlalchemy").text(
            "SELECT id_number FROM person WHERE city = 'binzhou' ORDER BY id"
        )
    ).scalars().all()
print(json.dumps({"rows": rows, "seconds": seconds, "ids": ids}))
"""


def seed(source: Path | None, database: str, persons: int, folder: Path) -> dict:
    _admin(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    _admin(f"CREATE DATABASE {database}")
    migrations = (source.parent if source is not None else ROOT) / "migrations"
    done = subprocess.run(
        [PYTHON, "-c", SEED, str(persons), str(migrations)],
        env=_env(source, database, folder),
        capture_output=True,
        text=True,
        cwd=folder,
    )
    if done.returncode:
        raise RuntimeError(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def write_file(path: Path, people: list[str], rows: int, start_year: int) -> None:
    """``rows`` new contribution rows: months from ``start_year`` on, person after person."""
    cells = [
        (kind, f"{start_year + month // 12}-{month % 12 + 1:02d}")
        for kind in TYPES
        for month in range(240)
    ]
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([*HEADER, "payer"])
        written = 0
        for id_number in people:
            for kind, period in cells[: rows - written]:
                writer.writerow(
                    [
                        id_number,
                        kind,
                        period,
                        "3000.00",
                        "240.00",
                        "480.00",
                        "已缴费",
                        "滨州市供电有限公司",
                    ]
                )
                written += 1
            if written == rows:
                return
    raise ValueError(f"{len(people)} people hold fewer than {rows} rows")


#: ``shebao import`` as the console script runs it, also writing to stderr how long the
#: engine's ``import_file`` took (the rest of the process is start-up and exit).
IMPORT = """
import sys, time
import shebao.commands
from shebao.cli import cli
engine = shebao.commands.import_file
def timed(*args, **kwargs):
    started = time.perf_counter()
    try:
        return engine(*args, **kwargs)
    finally:
        print(f"b5-engine-seconds {time.perf_counter() - started}", file=sys.stderr)
shebao.commands.import_file = timed
sys.exit(cli())
"""


def run_import(source: Path | None, database: str, path: Path, folder: Path) -> tuple[float, float]:
    """Seconds of ``shebao import --kind contributions FILE``: the whole process, and its
    ``import_file`` alone."""
    started = time.perf_counter()
    done = subprocess.run(
        [PYTHON, "-c", IMPORT, "import", "--city", "binzhou", "--kind", "contributions", str(path)],
        env=_env(source, database, folder),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=folder,
    )
    whole = time.perf_counter() - started
    if done.returncode:
        raise RuntimeError(done.stderr)
    engine = next(
        float(line.split()[1])
        for line in done.stderr.splitlines()
        if line.startswith("b5-engine-seconds ")
    )
    return whole, engine


def measure(label: str, source: Path | None, folder: Path) -> dict[str, float]:
    figures: dict[str, float] = {}
    instance = folder / label
    instance.mkdir()
    seeded = seed(source, f"{PREFIX}_{label}_seed", PERSONS, instance)
    figures["seed-demo contribution rows/s"] = seeded["rows"] / seeded["seconds"]
    figures["seed-demo seconds"] = seeded["seconds"]
    figures["seed-demo rows"] = seeded["rows"]
    _admin(f"DROP DATABASE IF EXISTS {PREFIX}_{label}_seed WITH (FORCE)")
    database = f"{PREFIX}_{label}_import"
    people = seed(source, database, IMPORT_PERSONS, instance)["ids"]
    for number, rows in enumerate(IMPORTS):
        path = instance / f"contributions-{rows}.csv"
        write_file(path, people, rows, 2040 + 20 * number)
        whole, engine = run_import(source, database, path, instance)
        figures[f"import {rows:,} rows: whole command, rows/s"] = rows / whole
        figures[f"import {rows:,} rows: import_file, rows/s"] = rows / engine
        figures[f"import {rows:,} rows: start-up and exit, s"] = whole - engine
    whole, engine = run_import(
        source, database, instance / f"contributions-{IMPORTS[0]}.csv", instance
    )
    figures[f"re-import {IMPORTS[0]:,} rows (all updates): import_file, rows/s"] = (
        IMPORTS[0] / engine
    )
    _admin(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    return figures


def baseline_tree(folder: Path) -> Path | None:
    if BASELINE == "none":
        return None
    archive = subprocess.run(
        ["git", "archive", BASELINE],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    target = folder / "baseline"
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    for catalogue in (ROOT / "platform").rglob("*.mo"):
        copy = target / catalogue.relative_to(ROOT)
        if copy.parent.exists() and not copy.exists():
            copy.write_bytes(catalogue.read_bytes())
    return target / "platform"


def _unit(name: str) -> str:
    if "rows/s" in name:
        return "rows/s"
    return "s" if name.endswith((", s", "seconds")) else "rows"


def main() -> dict[str, tuple[float, str]]:
    """Prints the side-by-side table; returns the figures for bench/run.py's report."""
    with tempfile.TemporaryDirectory(prefix="shebao-b5-") as tmp:
        folder = Path(tmp)
        results = {}
        base = baseline_tree(folder)
        if base is not None:
            print(f"b5: baseline {BASELINE} …", file=sys.stderr)
            results["baseline"] = measure("base", base, folder)
        print("b5: this tree …", file=sys.stderr)
        results["this tree"] = measure("new", None, folder)
    labels = list(results)
    names = list(results[labels[-1]])
    width = max(len(name) for name in names)
    print(f"{'B5 (PostgreSQL)':<{width}}  " + "  ".join(f"{label:>12}" for label in labels))
    for name in names:
        cells = "  ".join(f"{results[label].get(name, float('nan')):>12,.2f}" for label in labels)
        print(f"{name:<{width}}  {cells}")
    return {
        f"B5 {label}: {name}": (value, _unit(name))
        for label, figures in results.items()
        for name, value in figures.items()
    }


if __name__ == "__main__":
    main()
