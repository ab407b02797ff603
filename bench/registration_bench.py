"""How long registration by card takes on each path that must look alike to a stranger.

Issue 10 measured, from outside, an unknown ID number or wrong name, a right ID and name with a
wrong card (45 ms instead of about 300 ms: no hash was computed there) and an ID already
registered. Every failure of the identity check must now do the same work (one password hash)
and give the same page. This times each path: POST /account/register?method=card on Binzhou's
demo data, with the production password-hash strength (scrypt N=32768), median of a few rounds;
the spread between the paths is the figure to watch (near 1.0).
"""

from __future__ import annotations

import logging
import re
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

ROUNDS = 7
CARD = "/account/register?method=card"
BASE_URL = "http://binzhou.localhost/"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
PASSWORD = "Bench2026pass"


def _timed_posts(client, form: dict, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        page = client.get(CARD, base_url=BASE_URL).get_data(as_text=True)
        data = {**form, "csrf_token": CSRF.search(page).group(1)}
        started = time.perf_counter()
        client.post(CARD, base_url=BASE_URL, data=data)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> dict[str, tuple[float, str]]:
    from flask_migrate import upgrade

    from shebao import create_app
    from shebao.core.extensions import limiter
    from shebao.core.settings import Settings
    from shebao.people.demo import DEMO_PEOPLE, demo_id_number
    from shebao.people.idnumber import make_id_number
    from shebao.seeding import seed_city

    logging.getLogger("shebao").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="shebao-bench-") as tmp:
        folder = Path(tmp)
        settings = Settings.from_env(
            {
                "SHEBAO_DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
                "SHEBAO_CAPTCHA": "off",
                "SHEBAO_INSTANCE_DIR": str(folder / "instance"),
                "SHEBAO_SMS_OUTBOX": str(folder / "instance" / "sms.jsonl"),
            }
        )
        app = create_app(settings, {"RATELIMIT_ENABLED": False})
        with app.app_context():
            upgrade()
            city = app.extensions["shebao.cities"].get("binzhou")
            seed_city(city, persons=10, seed=2026)
        limiter.enabled = False
        registered, unregistered = DEMO_PEOPLE[0], DEMO_PEOPLE[2]  # 张伟 has an account, 王强 not
        base = {"password": PASSWORD, "confirm": PASSWORD, "phone": "13900000009"}
        paths = {
            "unknown ID": {
                **base,
                "id_number": make_id_number("371602", date(1990, 1, 1), 999),
                "name": "无此人",
                "card_number": "A99999999",
            },
            "wrong card": {
                **base,
                "id_number": demo_id_number(city, unregistered),
                "name": unregistered.name,
                "card_number": "A99999999",
            },
            "already registered": {
                **base,
                "id_number": demo_id_number(city, registered),
                "name": registered.name,
                "card_number": registered.card_number,
            },
        }
        medians = {
            name: _timed_posts(app.test_client(), form, ROUNDS) for name, form in paths.items()
        }
    results = {
        f"registration by card, {name}": (1000 * value, "ms") for name, value in medians.items()
    }
    results["registration by card, slowest ÷ fastest path"] = (
        max(medians.values()) / min(medians.values()),
        "×",
    )
    return results


if __name__ == "__main__":
    for name, (value, unit) in main().items():
        print(f"{name}: {value:.2f} {unit}")
