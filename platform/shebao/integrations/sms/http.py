"""An SMS gateway that posts each message as JSON to an HTTP endpoint (a provider's or an
internal SMS platform's), authenticated with a bearer token.

Request: ``POST <url>`` with ``{"city": ..., "phone": ..., "text": ...}``; any 2xx answer
means accepted. Anything else, or no answer within the timeout, raises ``SmsError``.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request

from .port import SmsError

log = logging.getLogger(__name__)


class HttpSms:
    def __init__(self, url: str, token: str, timeout: float = 5.0):
        self.url = url
        self.token = token
        self.timeout = timeout

    def send(self, city: str, phone: str, text: str) -> None:
        body = json.dumps({"city": city, "phone": phone, "text": text}, ensure_ascii=False).encode()
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {self.token}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - configured URL
                status = response.status
        except urllib.error.HTTPError as error:
            log.warning("SMS gateway refused a message for %s: %s", city, error.code)
            raise SmsError(f"the SMS gateway answered {error.code}") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            log.warning("SMS gateway unreachable for %s: %s", city, error)
            raise SmsError(f"the SMS gateway could not be reached ({error})"[:200]) from error
        if not 200 <= status < 300:
            raise SmsError(f"the SMS gateway answered {status}")
        log.info("SMS sent (%s, %s****%s)", city, phone[:3], phone[-4:])
