"""Background jobs: work that must not hold up a request or be lost when it fails.

``enqueue(function, *args)`` is the one way features hand work to the background. Arguments
must be plain values (strings, numbers, dates): a job may run in another process, later. A
job runs inside an app context (``current_app``, ``db.session``) and ends its own units of
work; it must not rely on rows the caller has not committed yet.

Two engines, one behaviour:

- ``SHEBAO_REDIS_URL`` set: jobs go to the ``shebao`` queue of RQ in that Redis, and
  ``shebao worker`` (an ``AppWorker``) runs them, each in an app context of its own, retried
  with backoff when the function declares retries (``retried``). When Redis refuses the job,
  it runs inline rather than being lost.
- Not set (``make run``, a single-process installation): the job runs inline, at once, in the
  caller's process and app context, and is never retried. Its last failure is its first
  (``final_attempt``): a job that keeps a record of work it could not do writes it in the
  caller's session, which the caller's unit of work commits.

``enqueue`` returns what the function returned when it ran inline, else None.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

from .extensions import db

log = logging.getLogger("shebao.jobs")

QUEUE_NAME = "shebao"
EXTENSION = "shebao.jobs"
#: A job that runs longer is stopped (and retried when it declares retries).
JOB_TIMEOUT_SECONDS = 120
#: A finished job is deleted at once: its arguments may hold a code or a password (an SMS
#: text), and nothing reads results. A failed one stays a week in RQ's failed registry.
RESULT_TTL_SECONDS = 0
FAILURE_TTL_SECONDS = 7 * 24 * 3600
#: app.config key: retry at once instead of after the declared backoff (the tests' worker
#: runs in burst mode, which does not wait for scheduled retries).
RETRY_AT_ONCE = "SHEBAO_JOBS_RETRY_AT_ONCE"
_RETRY_ATTRIBUTE = "_shebao_retry_seconds"


def retried(*seconds: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare that a job is tried again after each of ``seconds`` when it raises (on the
    queue only; inline it runs once)."""

    def declare(function: Callable[..., Any]) -> Callable[..., Any]:
        setattr(function, _RETRY_ATTRIBUTE, tuple(seconds))
        return function

    return declare


class Jobs:
    """The app's job engine: RQ on ``redis_url``, or inline when it is empty."""

    def __init__(self, redis_url: str):
        self.redis_url = redis_url
        self._connection = None

    @property
    def inline(self) -> bool:
        return not self.redis_url

    @property
    def connection(self):
        if self._connection is None:
            from redis import Redis

            self._connection = Redis.from_url(
                self.redis_url, socket_connect_timeout=2, socket_timeout=10
            )
        return self._connection

    def queue(self):
        from rq import Queue

        return Queue(QUEUE_NAME, connection=self.connection, default_timeout=JOB_TIMEOUT_SECONDS)

    def retry_for(self, function: Callable[..., Any], app: Flask):
        seconds = getattr(function, _RETRY_ATTRIBUTE, ())
        if not seconds:
            return None
        from rq import Retry

        if app.config.get(RETRY_AT_ONCE):
            return Retry(max=len(seconds))
        return Retry(max=len(seconds), interval=list(seconds))


def install(app: Flask, redis_url: str) -> None:
    app.extensions[EXTENSION] = Jobs(redis_url)


def jobs(app: Flask | None = None) -> Jobs:
    return (app or current_app).extensions[EXTENSION]


def enqueue(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run ``function(*args, **kwargs)`` in the background: on the queue when Redis is
    configured (returns None), else inline at once (returns the function's result)."""
    app = current_app._get_current_object()
    engine = jobs(app)
    if not engine.inline:
        from redis.exceptions import RedisError

        try:
            engine.queue().enqueue(
                function,
                args=args,
                kwargs=kwargs,
                retry=engine.retry_for(function, app),
                # RQ logs a job's description, by default the call with its arguments (a
                # phone and a code): the function's name only.
                description=f"{function.__module__}.{function.__name__}",
                result_ttl=RESULT_TTL_SECONDS,
                failure_ttl=FAILURE_TTL_SECONDS,
            )
            return None
        except RedisError as error:
            log.error("job queue unreachable (%s): running %s inline", error, function.__name__)
    return function(*args, **kwargs)


def current_job():
    """The RQ job running now (in a worker), else None. RQ (and Redis's client) is imported
    here, not at the top: a web process that never queues a job does not load them."""
    from rq import get_current_job

    return get_current_job()


def running_on_queue() -> bool:
    """Whether the code runs as a queued job (in a worker), not inline."""
    return current_job() is not None


def final_attempt() -> bool:
    """Whether a failure of the running job is its last: inline (never retried), or the
    queue's last try."""
    job = current_job()
    return job is None or not job.retries_left


def make_worker(app: Flask, worker_class=None):
    """An RQ worker for the ``shebao`` queue that runs every job in an app context of ``app``
    (``worker_class``: RQ's forking ``Worker`` by default, or ``SimpleWorker``)."""
    from rq import Worker

    base = worker_class or Worker

    class AppWorker(base):
        def perform_job(self, job, queue):
            with app.app_context():
                if os.getpid() != parent:
                    # A forked work horse: the pool's connections belong to the parent.
                    db.engine.dispose(close=False)
                try:
                    return super().perform_job(job, queue)
                finally:
                    db.session.remove()

    parent = os.getpid()
    engine = jobs(app)
    return AppWorker([engine.queue()], connection=engine.connection)
