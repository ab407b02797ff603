"""The files in deploy/ work as shipped: the WSGI entry builds the app from SHEBAO_* variables,
env.example and the README's table document exactly the variables of the Settings model,
Gunicorn's config is loadable and nginx passes the Host header that picks the city."""

from __future__ import annotations

import importlib.util
import re
import runpy
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask

from shebao.core.settings import PROJECT_ROOT, Settings, SettingsError

DEPLOY = PROJECT_ROOT / "deploy"
#: Variables that are named in the docs but are not process settings of the app.
NOT_SETTINGS = {"SHEBAO_TEST_DATABASE_URL"}


def settings_variables() -> set[str]:
    return set(Settings.variables())


def mentioned_variables(text: str) -> set[str]:
    """Every ``SHEBAO_NAME`` in ``text`` (placeholders such as ``SHEBAO_<NAME>`` left out)."""
    return {name for name in re.findall(r"SHEBAO_[A-Z_]*[A-Z]", text)} - NOT_SETTINGS


def readme_settings_table() -> list[str]:
    """The first cell of each row of the README's table of settings, in order."""
    lines = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index("| variable | default | meaning |")
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(line.split("|")[1])
    return rows


def env_example() -> dict[str, str]:
    values = {}
    for line in (DEPLOY / "env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, sep, value = line.partition("=")
            assert sep, f"env.example: not KEY=value: {line!r}"
            values[key] = value
    return values


def import_wsgi():
    spec = importlib.util.spec_from_file_location("shebao_deploy_wsgi", DEPLOY / "wsgi.py")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop("shebao_deploy_wsgi", None)
    return module


@pytest.fixture
def environment(monkeypatch, tmp_path, cities_dir):
    """Only the SHEBAO_* variables given here: SQLite in a temporary folder, the test cities."""
    for name in settings_variables():
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SHEBAO_DATABASE_URL", f"sqlite:///{tmp_path / 'wsgi.sqlite3'}")
    monkeypatch.setenv("SHEBAO_BASE_DOMAIN", "localhost")
    monkeypatch.setenv("SHEBAO_CITIES_DIR", str(cities_dir))
    monkeypatch.setenv("SHEBAO_INSTANCE_DIR", str(tmp_path / "instance"))
    return monkeypatch


def test_wsgi_builds_the_app_for_every_city_from_the_environment(environment, tmp_path):
    app = import_wsgi().app

    assert isinstance(app, Flask)
    settings = app.config["SHEBAO_SETTINGS"]
    assert settings.database_url == f"sqlite:///{tmp_path / 'wsgi.sqlite3'}"
    assert {city.code for city in app.extensions["shebao.cities"]} >= {"binzhou", "dezhou", "linhu"}
    assert (tmp_path / "instance").is_dir()
    probe = app.test_client().get("/healthz", headers={"Host": "binzhou.localhost"})
    assert probe.status_code == 200
    assert probe.get_json() == {"status": "ok"}


def refused_wsgi(capsys) -> list[str]:
    """The lines ``deploy/wsgi.py`` prints when it refuses to start (Gunicorn's boot error)."""
    with pytest.raises(SystemExit) as refused:
        import_wsgi()
    assert refused.value.code == 3  # Gunicorn's WORKER_BOOT_ERROR: stop, never respawn
    lines = capsys.readouterr().err.splitlines()
    assert lines[-1].endswith("problem(s) found; Shebao did not start.")
    return lines[:-1]


def test_wsgi_refuses_to_start_in_production_without_a_secret_key(environment, capsys):
    environment.setenv("SHEBAO_ENV", "production")
    problems = refused_wsgi(capsys)
    assert problems and all(re.match(r"^SHEBAO_[A-Z_]+: ", line) for line in problems)
    assert any(line.startswith("SHEBAO_SECRET_KEY: ") for line in problems)


def test_wsgi_refuses_to_start_on_invalid_city_yaml_naming_file_key_and_reason(
    environment, tmp_path, capsys
):
    city = tmp_path / "cities" / "binzhou"
    city.mkdir(parents=True)
    source = (PROJECT_ROOT / "cities" / "binzhou" / "city.yaml").read_text(encoding="utf-8")
    (city / "city.yaml").write_text(source + "colour: red\n", encoding="utf-8")
    shutil.copytree(PROJECT_ROOT / "cities" / "provinces", tmp_path / "cities" / "provinces")
    environment.setenv("SHEBAO_CITIES_DIR", str(tmp_path / "cities"))

    problems = refused_wsgi(capsys)
    assert any(
        problem.endswith("binzhou/city.yaml: colour: unknown key") for problem in problems
    ), problems


def test_env_example_documents_every_variable_the_settings_read():
    variables = settings_variables()
    assert {"SHEBAO_DATABASE_URL", "SHEBAO_PASSWORD_SCRYPT_N"} <= variables
    example = env_example()
    missing = sorted(variables - set(example))
    assert not missing, f"deploy/env.example lacks {missing}"
    text = (DEPLOY / "env.example").read_text(encoding="utf-8")
    for name in variables:
        assert re.search(rf"^# .*\n{name}=", text, re.MULTILINE), f"{name} has no comment above it"


def test_env_example_names_no_variable_the_settings_do_not_know():
    text = (DEPLOY / "env.example").read_text(encoding="utf-8")
    unknown = sorted(set(env_example()) - settings_variables())
    assert not unknown, f"deploy/env.example sets {unknown}, unknown to the settings"
    unknown = sorted(mentioned_variables(text) - settings_variables())
    assert not unknown, f"deploy/env.example mentions {unknown}, unknown to the settings"


def test_the_readme_table_documents_exactly_the_variables_of_the_settings():
    rows = readme_settings_table()
    documented = [name for row in rows for name in re.findall(r"`(SHEBAO_[A-Z_]+)`", row)]
    assert all(re.fullmatch(r"\s*`SHEBAO_[A-Z_]+`(, `SHEBAO_[A-Z_]+`)*\s*", row) for row in rows)
    assert len(documented) == len(set(documented)), "a variable has two rows"
    missing = sorted(settings_variables() - set(documented))
    assert not missing, f"README.md's table of settings lacks {missing}"
    unknown = sorted(set(documented) - settings_variables())
    assert not unknown, f"README.md's table documents {unknown}, unknown to the settings"


def test_the_deployment_guide_names_no_variable_the_settings_do_not_know():
    text = (DEPLOY / "README.md").read_text(encoding="utf-8")
    unknown = sorted(mentioned_variables(text) - settings_variables())
    assert not unknown, f"deploy/README.md mentions {unknown}, unknown to the settings"


def test_env_example_is_production_like_and_holds_no_secret():
    example = env_example()
    assert example["SHEBAO_ENV"] == "production"
    assert example["SHEBAO_SECRET_KEY"] == ""
    assert example["SHEBAO_DATABASE_URL"].startswith("postgresql")
    assert example["SHEBAO_BASE_DOMAIN"] == "shebao.example.gov.cn"

    assert example["SHEBAO_BANK_SECRET"] == ""
    assert example["SHEBAO_SINGLE_PROCESS"] == "off"

    with pytest.raises(SettingsError) as refused:
        Settings.from_env(example)  # as shipped, production refuses to start
    # ... naming, at once, the three secrets left empty on purpose, and nothing else
    named = [problem.partition(": ")[0] for problem in refused.value.problems]
    assert named == ["SHEBAO_SECRET_KEY", "SHEBAO_SMS_HTTP_TOKEN", "SHEBAO_BANK_SECRET"]


def test_env_example_values_are_accepted_by_the_settings():
    example = env_example()
    secret = secrets.token_urlsafe(48)
    filled = {
        **example,
        "SHEBAO_SECRET_KEY": secret,
        "SHEBAO_SMS_HTTP_TOKEN": "token-from-the-sms-platform",
        "SHEBAO_BANK_SECRET": secrets.token_urlsafe(48),
    }
    settings = Settings.from_env(filled)

    assert settings.production and settings.sms_backend == "http"
    assert settings.secret_key == secret
    assert settings.base_domain == "shebao.example.gov.cn"
    assert settings.root == Path("/srv/shebao")
    assert settings.instance_dir == Path("/var/lib/shebao")
    assert settings.cities_dir == Path("/srv/shebao/cities")
    assert settings.migrations_dir == Path("/srv/shebao/migrations")
    assert settings.database_url.startswith("postgresql+psycopg://shebao@/shebao")
    assert settings.ratelimit_storage == "redis://127.0.0.1:6379/0"
    assert settings.single_process is False
    assert settings.bank_backend == "off"
    assert settings.password_scrypt_n == 32768
    assert settings.proxy_hops == 1  # behind the shipped nginx site
    assert settings.log_format == "json"


def test_gunicorn_config_is_python_that_binds_locally_with_workers(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("SHEBAO_SINGLE_PROCESS", raising=False)
    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))

    assert config["bind"] == "127.0.0.1:8000"
    assert isinstance(config["workers"], int) and 1 <= config["workers"] <= 12
    assert config["preload_app"] is True
    assert "127.0.0.1" in config["forwarded_allow_ips"]
    log_format = config["access_log_format"]
    for atom in ("%(r)s", "%(q)s", "%({referer}i)s"):  # query strings can hold personal data
        assert atom not in log_format

    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))["workers"] == 3


@pytest.mark.parametrize("value, workers", [("on", 1), (" TRUE ", 1), ("off", 3), ("", 3)])
def test_gunicorn_runs_one_worker_when_the_site_is_declared_single_process(
    monkeypatch, value, workers
):
    """SHEBAO_SINGLE_PROCESS=on lets production count rate limits in memory: only true when
    one worker serves the site, so Gunicorn then starts one, whatever WEB_CONCURRENCY says."""
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("SHEBAO_SINGLE_PROCESS", value)
    assert runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))["workers"] == workers


def test_wsgi_refuses_a_production_environment_that_counts_rate_limits_per_process(
    environment, capsys
):
    """Strong secrets and a real SMS gateway, but the memory:// default with several workers."""
    for name, value in {
        "SHEBAO_ENV": "production",
        "SHEBAO_SECRET_KEY": secrets.token_urlsafe(48),
        "SHEBAO_BANK_SECRET": secrets.token_urlsafe(48),
        "SHEBAO_SMS_BACKEND": "http",
        "SHEBAO_SMS_HTTP_URL": "https://sms.example.cn/send",
        "SHEBAO_SMS_HTTP_TOKEN": "token",
        "SHEBAO_REDIS_URL": "redis://127.0.0.1:6379/1",
    }.items():
        environment.setenv(name, value)
    problems = refused_wsgi(capsys)
    assert [problem.partition(":")[0] for problem in problems] == ["SHEBAO_RATELIMIT_STORAGE_URL"]


def test_nginx_passes_the_original_host_and_turns_unknown_hosts_away():
    conf = (DEPLOY / "nginx" / "shebao.conf").read_text(encoding="utf-8")
    proxied = [block for block in conf.split("location")[1:] if "proxy_pass" in block]

    assert proxied
    for block in proxied:
        assert "proxy_set_header Host $host;" in block
        assert "proxy_set_header X-Forwarded-Proto $scheme;" in block
    assert not re.search(r"proxy_set_header\s+X-Forwarded-Host\s+\$", conf)
    assert "client_max_body_size 12m;" in conf
    assert "shebao\\.example\\.gov\\.cn" in conf
    assert re.search(r"listen 80 default_server;[\s\S]*return 404;", conf)


def test_systemd_runs_migrations_before_the_app():
    app_unit = (DEPLOY / "systemd" / "shebao.service").read_text(encoding="utf-8")
    migrate_unit = (DEPLOY / "systemd" / "shebao-migrate.service").read_text(encoding="utf-8")

    assert "Requires=shebao-migrate.service" in app_unit
    assert "After=shebao-migrate.service" in app_unit
    assert "--config /srv/shebao/deploy/gunicorn.conf.py" in app_unit
    assert "Type=oneshot" in migrate_unit
    for command in ("shebao check", "shebao db upgrade"):
        assert command in migrate_unit
    for unit in (app_unit, migrate_unit):
        for line in (
            "EnvironmentFile=/etc/shebao/env",
            "User=shebao",
            "NoNewPrivileges=yes",
            "ProtectSystem=strict",
            "ReadWritePaths=/var/lib/shebao",
            "PrivateTmp=yes",
        ):
            assert line in unit


def nginx_conf() -> str:
    return (DEPLOY / "nginx" / "shebao.conf").read_text(encoding="utf-8")


def test_nginx_spreads_over_two_app_servers_and_sends_the_request_id():
    conf = nginx_conf()
    upstream = re.search(r"upstream shebao_app \{([^}]*)\}", conf).group(1)
    assert len(re.findall(r"^\s*server \S+:8000\b", upstream, re.MULTILINE)) == 2
    assert "keepalive" in upstream
    assert "non_idempotent" not in conf  # a POST (a payment form) is never sent twice
    proxied = [block for block in conf.split("location")[1:] if "proxy_pass" in block]
    for block in proxied:
        assert "proxy_set_header X-Request-ID $request_id;" in block
        assert "proxy_set_header X-Forwarded-For $remote_addr;" in block
    assert re.search(r"location ~ \^/\(healthz\|readyz\)\$", conf)  # probes by IP address


def test_nginx_serves_static_files_in_the_app_s_order_with_far_future_caching():
    conf = nginx_conf()
    assert "include /etc/nginx/shebao-cities.map;" in conf
    static = conf[conf.index("location ~ ^/static/") :]
    static = static[: static.index("}")]
    order = [
        "/cities/$shebao_city/static/",
        "/themes/$shebao_theme/static/",
        "/platform/shebao/static/",
        "@shebao_app",
    ]
    positions = [static.index(part) for part in order]
    assert positions == sorted(positions)
    assert "expires $shebao_static_expires;" in static
    assert re.search(r"map \$arg_v \$shebao_static_expires \{\s*\"\"\s+1h;\s*default max;", conf)
    # add_header in a location replaces the server's: HSTS must be repeated there
    for block in conf.split("location")[1:]:
        if "add_header" in block.split("}")[0]:
            assert "Strict-Transport-Security" in block.split("}")[0]
    assert conf.count('add_header Strict-Transport-Security "max-age=31536000') >= 3


@pytest.mark.skipif(
    shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(),
    reason="nginx is not installed (.ci/run's make deploy-test installs it)",
)
def test_the_shipped_nginx_site_passes_nginx_t(tmp_path):
    """The shipped file, with only ports, paths and certificate put in, as the deployment test
    uses it, is valid nginx configuration."""
    spec = importlib.util.spec_from_file_location(
        "deploy_test", PROJECT_ROOT / "scripts" / "deploy_test.py"
    )
    deploy_test = importlib.util.module_from_spec(spec)
    sys.modules["deploy_test"] = deploy_test  # its dataclasses look their module up
    try:
        spec.loader.exec_module(deploy_test)
    finally:
        sys.modules.pop("deploy_test", None)
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=test", "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    (tmp_path / "shebao-cities.map").write_text(
        'map $host $shebao_city { default ""; }\nmap $host $shebao_theme { default ""; }\n'
    )
    site = deploy_test.nginx_site(nginx_conf(), 18443, 18080, [18001, 18002], tmp_path)
    assert "server 127.0.0.1:18001" in site and "server 127.0.0.1:18002" in site
    (tmp_path / "shebao.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(deploy_test.nginx_main(tmp_path))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    done = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
         "-e", str(tmp_path / "error.log")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_gunicorn_recycles_workers_rarely_and_not_all_at_once(monkeypatch):
    monkeypatch.delenv("SHEBAO_LOG_FORMAT", raising=False)
    monkeypatch.delenv("SHEBAO_ENV", raising=False)
    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert config["max_requests"] >= 50_000
    assert config["max_requests_jitter"] >= config["max_requests"] // 20
    assert config["accesslog"] == "-"  # development: Gunicorn's access log
    monkeypatch.setenv("SHEBAO_ENV", "production")  # JSON request lines by the app instead
    assert runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))["accesslog"] is None


@pytest.mark.parametrize("unit, command", [("worker", "worker"), ("scheduler", "scheduler")])
def test_systemd_runs_the_worker_and_the_scheduler_after_migrations(unit, command):
    text = (DEPLOY / "systemd" / f"shebao-{unit}.service").read_text(encoding="utf-8")
    assert f"ExecStart=/srv/shebao/.venv/bin/shebao {command}" in text
    assert "Requires=shebao-migrate.service" in text
    assert "Restart=always" in text
    for line in (
        "EnvironmentFile=/etc/shebao/env",
        "User=shebao",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ReadWritePaths=/var/lib/shebao",
        "PrivateTmp=yes",
    ):
        assert line in text
