"""An SMS gateway that appends messages to a JSON-lines file instead of sending them."""

from __future__ import annotations

import json
import logging
import threading
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger(__name__)
_lock = threading.Lock()


class OutboxSms:
    def __init__(self, path: Path):
        self.path = Path(path)

    def send(self, city: str, phone: str, text: str) -> None:
        line = json.dumps(
            {
                "time": datetime.now(UTC).isoformat(),
                "city": city,
                "phone": phone,
                "text": text,
            },
            ensure_ascii=False,
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _lock, self.path.open("a", encoding="utf-8") as outbox:
            outbox.write(line + "\n")
        log.info("SMS outbox (%s, %s****%s): %s", city, phone[:3], phone[-4:], text)

    def messages(self) -> list[dict]:
        """Every message written so far (for developers and tests)."""
        if not self.path.exists():
            return []
        return [
            json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line
        ]
