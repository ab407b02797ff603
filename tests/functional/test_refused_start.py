"""A refused setting is one clear line: `shebao`, Gunicorn's app loading (deploy/wsgi.py) and
`make run` print every problem as `SHEBAO_NAME: reason` on stderr, exit non-zero, and show
no traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from shebao.core.settings import PROJECT_ROOT, Settings

BIN = Path(sys.executable).parent
#: A production start with the sandbox bank and nothing else set.
REFUSED = {"SHEBAO_ENV": "production", "SHEBAO_BANK_BACKEND": "sandbox"}
EXPECTED = [
    "SHEBAO_SECRET_KEY: production needs a random secret",
    "SHEBAO_SMS_BACKEND: 'outbox' is a sandbox backend, refused in production",
    "SHEBAO_RATELIMIT_STORAGE_URL: memory:// counts per process",
    "SHEBAO_BANK_BACKEND: 'sandbox' is a sandbox backend, refused in production",
    "SHEBAO_BANK_SECRET: production needs the key shared with the bank",
    "SHEBAO_REDIS_URL: production runs background jobs",
]


def run(command: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SHEBAO_")}
    clean.update(
        SHEBAO_INSTANCE_DIR=str(tmp_path / "instance"),
        SHEBAO_DATABASE_URL=f"sqlite:///{tmp_path / 'refused.sqlite3'}",
        **env,
    )
    return subprocess.run(
        command, env=clean, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=180
    )


def assert_refused(done: subprocess.CompletedProcess) -> list[str]:
    assert done.returncode != 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    lines = done.stderr.splitlines()
    for expected in EXPECTED:
        assert sum(line.startswith(expected) for line in lines) == 1, (expected, done.stderr)
    assert "6 problem(s) found; Shebao did not start." in lines
    return lines


@pytest.mark.parametrize("arguments", [["db", "upgrade"], ["run", "--port", "0"], ["check"]])
def test_the_shebao_command_lists_every_problem_without_a_traceback(tmp_path, arguments):
    assert_refused(run([str(BIN / "shebao"), *arguments], tmp_path, **REFUSED))


def test_gunicorn_loading_deploy_wsgi_lists_every_problem_and_stops(tmp_path):
    done = run(
        [
            str(BIN / "gunicorn"),
            "--config",
            "deploy/gunicorn.conf.py",
            "--chdir",
            "deploy",
            "--bind",
            "127.0.0.1:0",
            "wsgi:app",
        ],
        tmp_path,
        **REFUSED,
    )
    assert_refused(done)
    assert done.returncode == 3  # Gunicorn's boot error: the master stops, nothing respawns


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_lists_every_problem_without_a_traceback(tmp_path):
    lines = assert_refused(
        run(["make", "--no-print-directory", "run", "PORT=0"], tmp_path, **REFUSED)
    )
    # nothing ran after the refusal: neither the demo data nor the server
    assert not any("persons" in line or "Running on" in line for line in lines)


def test_a_bad_value_and_a_bad_city_file_are_both_one_line(tmp_path):
    cities = tmp_path / "cities"
    shutil.copytree(PROJECT_ROOT / "cities" / "dezhou", cities / "dezhou")
    shutil.copytree(PROJECT_ROOT / "cities" / "provinces", cities / "provinces")
    with (cities / "dezhou" / "city.yaml").open("a", encoding="utf-8") as yaml:
        yaml.write("colour: red\n")
    done = run([str(BIN / "shebao"), "routes"], tmp_path, SHEBAO_CITIES_DIR=str(cities))
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert any(
        line.endswith("dezhou/city.yaml: colour: unknown key") for line in done.stderr.splitlines()
    )

    done = run([str(BIN / "shebao"), "routes"], tmp_path, SHEBAO_PROXY_HOPS="many")
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert done.stderr.splitlines()[0] == "SHEBAO_PROXY_HOPS: must be a whole number, not 'many'"
    assert set(Settings.variables()) >= {"SHEBAO_PROXY_HOPS", "SHEBAO_LOG_FORMAT"}
