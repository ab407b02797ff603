"""The sandbox bank's server posting its signed notification to the platform, over HTTP.

A job (``core.jobs``): on the queue it is tried again with backoff until the platform
answers; the platform applies a notification once per bank transaction, so a repeated post
changes nothing. A notification the platform refuses (400) is not posted again. When every
try fails, the platform still learns the outcome: ``shebao payments expire`` (the scheduler)
asks the bank about orders left in paying.

``SHEBAO_SANDBOX_BANK_NOTIFY_ADDRESS`` (host:port) names where to connect, keeping the URL's
Host header, so that the post reaches nginx or an app node on loopback without DNS; empty,
the URL's own host and port (a ``*.localhost`` host is this machine's loopback, RFC 6761,
whatever the resolver says). The URL's scheme decides TLS (checked against the URL's host
name), unless the address names its own: ``http://127.0.0.1:8000`` posts in plain HTTP to a
node behind a TLS-terminating nginx.
"""

from __future__ import annotations

import http.client
import logging
import socket
import ssl
from urllib.parse import urlsplit

from flask import current_app

from ...core.jobs import final_attempt, retried
from .port import SIGNATURE_HEADER

log = logging.getLogger("shebao.bank")
#: Waits before the 2nd … 5th try (about 5 minutes from the first to the last).
RETRY_SECONDS = (2, 10, 60, 240)
TIMEOUT_SECONDS = 10


class NotificationNotDelivered(RuntimeError):
    """The platform could not be reached or did not answer 200 (the job is tried again)."""


def connect_to(url: str, address: str) -> tuple[str, str, int]:
    """(scheme, host, port) to open a connection to for ``url``, given the notify address
    setting (``[scheme://]host:port`` or empty)."""
    parts = urlsplit(url)
    if address:
        scheme, _, target = address.rpartition("://")
        host, _, port = target.rpartition(":")
        return scheme or parts.scheme, host.strip("[]"), int(port)
    default = 443 if parts.scheme == "https" else 80
    host = parts.hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        host = "127.0.0.1"
    return parts.scheme, host, parts.port or default


class _Connection(http.client.HTTPSConnection):
    """HTTPS to ``host:port`` while checking the certificate for ``server_name`` (the URL's)."""

    def __init__(self, host: str, port: int, server_name: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.server_name = server_name

    def connect(self) -> None:
        sock = socket.create_connection((self.host, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.server_name)


def post(url: str, body: bytes, signature: str, address: str) -> int:
    """POST the notification; returns the platform's status code (raises ``OSError``)."""
    parts = urlsplit(url)
    scheme, host, port = connect_to(url, address)
    if scheme == "https":
        connection = _Connection(host, port, parts.hostname or host, TIMEOUT_SECONDS)
    else:
        connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT_SECONDS)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Host": parts.netloc,
                "Content-Type": "application/json",
                SIGNATURE_HEADER: signature,
            },
        )
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


@retried(*RETRY_SECONDS)
def deliver_notification(url: str, body: str, signature: str) -> int:
    """The job: post one signed notification to ``url`` (absolute, on the city's host).

    Returns the platform's status code: 200 (applied, or a duplicate) or 400 (refused: not
    tried again). Anything else, or no answer, raises while tries are left."""
    address = current_app.config["SHEBAO_SETTINGS"].sandbox_bank_notify_address
    try:
        status = post(url, body.encode(), signature, address)
    except OSError as error:
        status, reason = 0, str(error)
    else:
        reason = f"answered {status}"
    if status in (200, 400):
        if status == 400:
            log.warning("sandbox bank: the platform refused a notification to %s", url)
        return status
    if not final_attempt():
        raise NotificationNotDelivered(f"{url}: {reason}")
    log.error(
        "sandbox bank: notification to %s not delivered (%s); the expiry run asks", url, reason
    )
    return status
