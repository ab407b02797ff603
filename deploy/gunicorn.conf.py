"""Gunicorn settings for Shebao behind nginx on the same machine.

Used as ``gunicorn --config deploy/gunicorn.conf.py --chdir deploy wsgi:app``. Any setting
can still be overridden on the command line (``--bind``, ``--workers`` …).
"""

import multiprocessing
import os

# nginx on this machine is the only client; never listen on a public address.
bind = "127.0.0.1:8000"

# WEB_CONCURRENCY (Gunicorn's own variable) wins; else 2 x cores + 1, capped: a big machine
# gains little from more sync workers, and each one holds a PostgreSQL connection.
# SHEBAO_SINGLE_PROCESS=on (read as the app reads it) means one worker, whatever else says:
# it is what allows memory:// rate limits in production, which would otherwise count per worker.
MAX_WORKERS = 12
ON = {"on", "true", "1", "yes"}
SINGLE_PROCESS = os.environ.get("SHEBAO_SINGLE_PROCESS", "").strip().lower() in ON
if SINGLE_PROCESS:
    workers = 1
else:
    workers = int(
        os.environ.get("WEB_CONCURRENCY") or min(2 * multiprocessing.cpu_count() + 1, MAX_WORKERS)
    )

# Synchronous workers: nginx buffers slow clients, so a worker is only busy while the app works.
worker_class = "sync"
# A request running longer than this (PDF rendering included) is a bug; the worker is restarted.
timeout = 60
graceful_timeout = 30
# Recycle workers now and then so that a slow leak never takes a server down, but rarely: a
# new worker's first requests are slow (imports, templates, fonts), and at 50-100 requests a
# second per worker 2,000 would recycle one every 20-40 s under load. 100,000 is a quarter of
# an hour or more at peak; the jitter keeps the workers from all restarting at once.
max_requests = 100_000
max_requests_jitter = 10_000

# Build the app once in the master before forking: every city's YAML is validated once at
# start, and an invalid file (or a missing secret key in production) stops the master with
# the list of problems (one line each, deploy/wsgi.py) instead of leaving workers
# crash-looping; the workers share the parsed cities and templates, and the PDF font parsed
# in the master once it is ready (`when_ready`), copy on write. Because of this, a HUP does not
# reread city YAML: adding or changing a city needs `systemctl restart shebao`.
preload_app = True

# Trust X-Forwarded-Proto (https) only from nginx on localhost. The Host header is passed
# through by nginx unchanged and is the only thing that picks the city.
forwarded_allow_ips = "127.0.0.1,::1"
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

proc_name = "shebao"

# Gunicorn 25.1+ opens a control socket in $HOME by default; systemd's signals (HUP, TERM)
# are the only management interface wanted here. Older Gunicorn ignores this name.
control_socket_disable = True

# Logs go to stdout/stderr, i.e. to the journal under systemd. With SHEBAO_LOG_FORMAT=json
# (production's default) the app writes one JSON line per request itself, with the request
# id, city and endpoint, so Gunicorn's access log would only repeat it.
LOG_FORMAT = os.environ.get("SHEBAO_LOG_FORMAT", "").strip().lower()
PRODUCTION = os.environ.get("SHEBAO_ENV", "").strip().lower() == "production"
JSON_LOGS = LOG_FORMAT == "json" or (PRODUCTION and not LOG_FORMAT)
accesslog = None if JSON_LOGS else "-"
errorlog = "-"
loglevel = "info"
# %(U)s is the path without the query string: query strings can hold personal data
# (ID numbers, names), so they are never logged; neither is the Referer, which can hold one.
# The client address is nginx's X-Forwarded-For (the socket peer is always 127.0.0.1).
access_log_format = (
    '%({x-forwarded-for}i)s "%({host}i)s" %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
)


def when_ready(server):
    """In the master, the app built and before the first worker forks: what every worker
    would otherwise do for itself (parse the PDF font) is done once, in shared memory."""
    if not server.cfg.preload_app:
        return
    from shebao.app import prepare_to_fork

    prepare_to_fork(server.app.wsgi())


def post_fork(server, worker):
    """Drop database connections inherited from the master, so workers never share a socket."""
    if not server.cfg.preload_app:
        return
    from shebao.core.extensions import db

    app = worker.app.wsgi()
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)
