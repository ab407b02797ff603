"""Sending a text: features call ``send_sms``; the job queue delivers it through the gateway.

On the queue (``SHEBAO_REDIS_URL``) delivery is tried again with backoff (``RETRY_SECONDS``);
when the last try fails, or at once when jobs run inline, the text is kept as a dead letter
(``dead_letters``), so a gateway outage loses no code or password: an operator resends it
with ``shebao sms resend`` while it is valid.
"""

from __future__ import annotations

import logging
from datetime import datetime

from ...core.jobs import current_job, enqueue, final_attempt, retried, running_on_queue
from ...core.transactions import unit_of_work
from .dead_letters import keep_dead_letter, purge_expired_texts
from .factory import sms_gateway
from .port import SmsError

log = logging.getLogger("shebao.sms")
#: Waits before the 2nd, 3rd, 4th and 5th try: about 6 minutes from the first to the last.
RETRY_SECONDS = (5, 30, 90, 240)


@retried(*RETRY_SECONDS)
def deliver_sms(city: str, phone: str, text: str, valid_until: datetime | None = None) -> bool:
    """The job: hand one text to the configured gateway. True when it was accepted; False
    when it was kept as a dead letter instead (raises ``SmsError`` while tries are left)."""
    try:
        sms_gateway().send(city, phone, text)
        return True
    except SmsError as error:
        if not final_attempt():
            raise
        masked = f"{phone[:3]}****{phone[-4:]}"
        log.error("SMS to %s (%s) not delivered, kept as a dead letter: %s", masked, city, error)
        if running_on_queue():
            job = current_job()
            attempts = len(RETRY_SECONDS) + 1 if job.retries_left == 0 else 1
            with unit_of_work():
                keep_dead_letter(city, phone, text, str(error), attempts, valid_until)
        else:  # inline: in the caller's unit of work, with the rest of its work
            keep_dead_letter(city, phone, text, str(error), 1, valid_until)
        return False


def send_sms(city: str, phone: str, text: str, valid_until: datetime | None = None) -> bool:
    """Send ``text`` to ``phone`` for ``city`` (a city code) through the job queue.

    ``valid_until``: until when the text is worth sending (a code's expiry). Returns True when
    the text went out or is queued; False when it could not be sent now and was kept as a dead
    letter (inline only: the caller tells the resident so).
    """
    return enqueue(deliver_sms, city, phone, text, valid_until) is not False


def purge_dead_letters() -> int:
    """The periodic job: blank the texts of dead letters no longer valid."""
    with unit_of_work():
        return purge_expired_texts()
