"""``make screenshots``: full-page shots of every menu page of both cities, for reviewers.

Builds the app on a fresh SQLite database under a temporary folder, loads the demo data,
serves it on a free local port and drives Debian's Chromium (``/usr/bin/chromium``, never a
downloaded browser) through Playwright: for Binzhou and Dezhou, logged in as the demo
employee 张伟, every page of the city's menu at 375 px and 1280 px wide, in standard and in
care mode, written to ``screenshots/<city>/<width>-<mode>/<nn>-<page>.png`` (ignored by git).
The captcha is switched off for this local run only (``SHEBAO_CAPTCHA=off``).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import threading
from pathlib import Path

from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CITIES = ("binzhou", "dezhou")
WIDTHS = (375, 1280)
MODES = ("standard", "care")


def build_app(folder: Path):
    from flask_migrate import upgrade

    from shebao.app import create_app
    from shebao.core.settings import Settings
    from shebao.seeding import seed_city

    settings = Settings.from_env(
        {
            "SHEBAO_DATABASE_URL": f"sqlite:///{folder / 'screens.sqlite3'}",
            "SHEBAO_CAPTCHA": "off",
            "SHEBAO_INSTANCE_DIR": str(folder / "instance"),
            "SHEBAO_SMS_OUTBOX": str(folder / "instance" / "sms.jsonl"),
        }
    )
    app = create_app(settings)
    with app.app_context():
        upgrade()
        for city in app.extensions["shebao.cities"]:
            if city.code in CITIES:
                seed_city(city, persons=20, seed=2026)
    return app


def menu_paths(app, code: str) -> list[tuple[str, str]]:
    """(file-name stem, path) of every page in the city's menu, in menu order."""
    city = app.extensions["shebao.cities"].get(code)
    with app.test_request_context(base_url=f"http://{code}.localhost/"):
        from flask import url_for

        return [
            (f"{link.module}-{link.key}", url_for(link.endpoint))
            for menu in city.menus
            for link in menu.links
            if link.endpoint != "account.logout"
        ]


def log_in(page, base: str, code: str, app) -> None:
    from shebao.people.demo import DEMO_PASSWORD, DEMO_PEOPLE, demo_id_number

    city = app.extensions["shebao.cities"].get(code)
    employee = DEMO_PEOPLE[0]
    page.goto(f"{base}/account/login")
    page.locator("input[name=id_number]").fill(demo_id_number(city, employee))
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("#login-form [type=submit]").first.click()
    page.wait_for_load_state()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="shebao-screens-") as tmp:
        app = build_app(Path(tmp))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        written = 0
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for code in CITIES:
                    base = f"http://{code}.localhost:{server.server_port}"
                    for width in WIDTHS:
                        for mode in MODES:
                            context = browser.new_context(viewport={"width": width, "height": 900})
                            page = context.new_page()
                            log_in(page, base, code, app)
                            page.goto(f"{base}/display/care-mode?on={int(mode == 'care')}&next=/")
                            folder = args.out / code / f"{width}-{mode}"
                            folder.mkdir(parents=True, exist_ok=True)
                            for number, (stem, path) in enumerate(menu_paths(app, code), 1):
                                page.goto(base + path)
                                name = re.sub(r"[^a-z0-9_-]", "-", stem)
                                page.screenshot(
                                    path=str(folder / f"{number:02d}-{name}.png"), full_page=True
                                )
                                written += 1
                            context.close()
                browser.close()
        finally:
            server.shutdown()
    print(f"{written} screenshots under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
