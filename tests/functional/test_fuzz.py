"""Every form and every GET parameter of both cities, fuzzed: no input makes a 500, and no
input comes back unescaped.

Nothing here lists a page or a field. The pages are discovered: every menu entry of every
module the city enables (from the registry), the home page, and the links of those pages,
followed two steps deep on the same site, logged out and logged in. Each page's ``<form>``s
are read with their fields (``html.parser``), and the query parameters from its links, from
GET forms and from redirects. A form or a parameter added later is fuzzed the day it appears.

Each form gets a fixed corpus of bad values, deterministically and in bounded time: first
every field bad at once, the corpus dealt out over the fields until every value has been
sent to the form; then each field alone, with a few values rotating through the corpus from
field to field, while the other fields keep what the page filled in (so that the field's own
checks are reached, not only the first refusal). A path's query parameters are fuzzed as one
GET form; every parameter name seen anywhere is also sent to every page. Rate limits are off
while fuzzing. Two things must never happen: a 500, and an HTML probe coming back as it was
sent.

Runs on SQLite and, with ``SHEBAO_TEST_DATABASE_URL``, on PostgreSQL (where a NUL byte that
reached a statement would be refused by the server).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote_from_bytes, quote_plus, urljoin, urlsplit

import pytest
from flask import url_for
from sqlalchemy import select

from shebao.account.models import Account
from shebao.account.secrets import hash_secret
from shebao.core.extensions import db, limiter
from shebao.modules.payments.models import PaymentOrder, PaymentOrderLine
from shebao.modules.payments.states import OPEN
from tests.conftest import PASSWORD
from tests.factories import FACTORIES

CITIES = ("binzhou", "dezhou")


@dataclass(frozen=True)
class Raw:
    """Bytes sent as they are (not percent-encoded) in a query string or a form body."""

    data: bytes


#: The HTML probes: neither may ever come back as it was sent.
SCRIPT_PROBE = "<script>fuzz(1)</script>"
ATTRIBUTE_PROBE = "\"'><img src=x onerror=fuzz(2)>"
PROBES = (SCRIPT_PROBE, ATTRIBUTE_PROBE)
BAD_UTF8 = b"\xff\xfe\xc3\x28\xa0\xa1\xed\xa0\x80"
CORPUS: tuple[str | bytes | Raw, ...] = (
    "",
    "测" * 10_000,
    "😀👩‍👩‍👧‍👦🇨🇳",
    "\u202eمرحبا\u202c שלום",  # right-to-left override, Arabic, Hebrew
    "a\u200bb\u200c\u200d\u2060\ufeffc",  # zero-width characters
    "\x00",
    "12\x003",
    "²",
    "①②",
    "２０２４",  # full-width digits
    "٣",  # Arabic-Indic digit
    SCRIPT_PROBE,
    ATTRIBUTE_PROBE,
    "' OR '1'='1' --",
    "1; DROP TABLE people; --",
    "../../../../etc/passwd",
    "1e309",
    "-1",
    "9" * 400,
    "NaN",
    "\x1b[31m\x7f\x85\ufffe",
    BAD_UTF8,  # percent-encoded
    Raw(BAD_UTF8),  # as raw bytes
)
#: Values per field in the field-by-field round.
PER_FIELD = 3
MAX_PAGES = 120
#: Pages crawled per path with other query parameters (``?method=sms``, ``?page=2``).
VARIANTS_PER_PATH = 3
SKIPPED_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg", ".css", ".js", ".ico", ".pdf", ".woff2")
#: Forms that end the session: sent last in the logged-in round.
LEAVING = re.compile(r"/account/(logout|exit)$")


# ---------------------------------------------------------------- discovery


@dataclass
class Field:
    name: str
    kind: str  # the input type, "select", "textarea" or "submit"
    options: list[str] = field(default_factory=list)
    chosen: list[str] = field(default_factory=list)
    value: str = ""

    def baseline(self) -> list[str]:
        """What a browser sends for this field when the resident changes nothing."""
        if self.kind in ("checkbox",):
            return self.chosen
        if self.kind in ("radio", "select"):
            wanted = self.chosen or [o for o in self.options if o][:1] or self.options[:1]
            return wanted[:1]
        if self.kind == "submit":
            return []
        return [self.value]


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: dict[str, Field] = field(default_factory=dict)

    @property
    def key(self) -> tuple:
        """The same form on another variant of its page (``?lang=en``) is fuzzed once."""
        return (self.method, urlsplit(self.action).path, tuple(sorted(self.fields)))

    def baseline(self) -> list[tuple[str, str | bytes | Raw]]:
        pairs = [(name, value) for name, f in self.fields.items() for value in f.baseline()]
        first_button = next((f for f in self.fields.values() if f.kind == "submit"), None)
        if first_button is not None:
            pairs.append((first_button.name, first_button.value))
        return pairs


class PageParser(HTMLParser):
    """The forms (with their fields) and the links of a page."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {name: (value if value is not None else "") for name, value in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            action = urljoin(self.page, a.get("action") or self.page)
            self._form = Form(self.page, action, (a.get("method") or "get").lower())
            self.forms.append(self._form)
        elif self._form is None or (not a.get("name") and tag != "option"):
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("button", "reset", "image", "file"):
                return
            found = self._field(a["name"], kind)
            if kind in ("checkbox", "radio"):
                found.options.append(a.get("value", "on"))
                if "checked" in a:
                    found.chosen.append(a.get("value", "on"))
            else:
                found.value = a.get("value") or a.get("placeholder") or ""
        elif tag == "button" and (a.get("type") or "submit").lower() == "submit":
            self._field(a["name"], "submit").value = a.get("value", "")
        elif tag == "select":
            self._select = self._field(a["name"], "select")
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
            if "selected" in a:
                self._select.chosen.append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = self._field(a["name"], "textarea")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def _field(self, name: str, kind: str) -> Field:
        assert self._form is not None
        return self._form.fields.setdefault(name, Field(name, kind))


@dataclass
class Site:
    """What a crawl found: forms, and for each path the query parameters seen with it."""

    forms: dict[tuple, Form] = field(default_factory=dict)
    parameters: dict[str, dict[str, str]] = field(default_factory=dict)
    pages: list[str] = field(default_factory=list)

    def add_parameters(self, url: str) -> None:
        parts = urlsplit(url)
        seen = self.parameters.setdefault(parts.path, {})
        for name, value in parse_qsl(parts.query, keep_blank_values=True):
            seen.setdefault(name, value)


def start_pages(app, city_code: str) -> list[str]:
    """The home page and every menu entry of every module the city enables (the registry)."""
    city = app.extensions["shebao.cities"].get(city_code)
    pages = ["/"]
    with app.test_request_context("/", base_url=f"http://{city_code}.localhost"):
        for module in app.extensions["shebao.modules"].values():
            for entry in module.entries:
                if city.entry_enabled(module.name, entry.key):
                    pages.append(url_for(entry.endpoint))
    return pages


def _local(url: str, host: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", host):
        return None
    if not parts.path.startswith("/") or parts.path.lower().endswith(SKIPPED_SUFFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client, starts: list[str], depth: int = 2) -> Site:
    site = Site()
    seen: set[str] = set()
    per_path: dict[str, int] = {}
    frontier = list(starts)
    for _step in range(depth + 1):
        following: list[str] = []
        for url in frontier:
            path, query = urlsplit(url)[2:4]
            variant = {name for name, _value in parse_qsl(query)} - {"lang"}
            if url in seen or len(seen) >= MAX_PAGES or path in per_path and not variant:
                continue
            if per_path.get(path, 0) >= VARIANTS_PER_PATH:
                continue
            seen.add(url)
            per_path[path] = per_path.get(path, 0) + 1
            site.add_parameters(url)
            response = client.get(url)
            assert response.status_code != 500, f"GET {url} answered 500"
            if response.status_code in (301, 302, 303, 307, 308):
                target = _local(response.headers["Location"], client.host)
                if target:
                    site.add_parameters(target)
                    following.append(target)
                continue
            if "text/html" not in response.content_type:
                continue
            site.pages.append(url)
            parser = PageParser(url)
            parser.feed(response.get_data(as_text=True))
            for form in parser.forms:
                form.action = _local(form.action, client.host) or url
                site.forms.setdefault(form.key, form)
                if form.method == "get":
                    names = site.parameters.setdefault(urlsplit(form.action).path, {})
                    for name, value in form.baseline():
                        names.setdefault(name, value if isinstance(value, str) else "")
            for link in parser.links:
                target = _local(urljoin(url, link), client.host)
                if target:
                    site.add_parameters(target)
                    following.append(target)
        frontier = following
    return site


# ---------------------------------------------------------------- sending


def _encode(pairs: list[tuple[str, str | bytes | Raw]]) -> bytes:
    parts = []
    for name, value in pairs:
        if isinstance(value, Raw):
            encoded = value.data
        elif isinstance(value, bytes):
            encoded = quote_from_bytes(value).encode()
        else:
            encoded = quote_plus(value).encode()
        parts.append(quote_plus(name).encode() + b"=" + encoded)
    return b"&".join(parts)


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)
    requests: int = 0

    def check(self, response, method: str, url: str, fuzzed: str, pairs) -> None:
        """Record a 500 or an echo of an HTML probe, with what was sent (the fuzzed field,
        or every field when all were fuzzed at once)."""
        self.requests += 1
        sent = ", ".join(
            f"{name}={repr(value)[:30]}" for name, value in pairs if fuzzed in ("*", name)
        )
        if response.status_code >= 500:
            self.problems.append(f"{response.status_code}: {method} {url} {sent}")
        elif "text/html" in response.content_type:
            body = response.get_data(as_text=True)
            if any(probe in body for probe in PROBES):
                self.problems.append(f"unescaped echo: {method} {url} {sent}")


def send(client, method: str, url: str, pairs) -> object:
    parts = urlsplit(url)
    own = [(n, v) for n, v in parse_qsl(parts.query, keep_blank_values=True)]
    if method == "get":
        query = _encode(own + list(pairs)).decode("latin-1")
        return client.get(parts.path, environ_overrides={"QUERY_STRING": query})
    return client.post(
        url, data=_encode(list(pairs)), content_type="application/x-www-form-urlencoded"
    )


def variants(
    baseline: list[tuple[str, object]], names: list[str], keep: set[str], start: int = 0
) -> Iterator[tuple[str, list[tuple[str, object]]]]:
    """The requests for one form: (what was fuzzed, the pairs sent).

    Coverage first: every field but ``keep`` (the CSRF token) bad at once, the corpus dealt
    out over the fields, as many times as it takes for every value to be sent once (one
    request per value for a form of one field). Then depth: each field alone (``keep`` too)
    with ``PER_FIELD`` values while the others keep what the page filled in, so that the
    field's own checks are reached; the values go on rotating from field to field (from
    ``start``), so different forms try different values on their fields.
    """
    fuzzable = [name for name in names if name not in keep]
    size = len(CORPUS)
    if fuzzable:
        for round_ in range(-(-size // len(fuzzable))):
            bad = {
                name: CORPUS[(round_ * len(fuzzable) + j) % size] for j, name in enumerate(fuzzable)
            }
            pairs = [(n, v) for n, v in baseline if n not in bad] + list(bad.items())
            yield "*", pairs
    for j, name in enumerate(names):
        for t in range(PER_FIELD):
            value = CORPUS[(start + j * PER_FIELD + t) % size]
            yield name, [(n, v) for n, v in baseline if n != name] + [(name, value)]


def fuzz_form(client, form: Form, findings: Findings, start: int = 0) -> None:
    baseline = form.baseline()
    names = list(form.fields)
    for fuzzed, pairs in variants(baseline, names, keep={"csrf_token"}, start=start):
        response = send(client, form.method, form.action, pairs)
        findings.check(response, form.method.upper(), form.action, fuzzed, pairs)


def parameter_forms(site: Site) -> list[Form]:
    """Each path's query parameters (from links, GET forms, redirects) as a GET form.

    A parameter that nearly every page carries (``lang``) is read by one hook for all of
    them: it is a field on its first path only, and reaches the others with the rest.
    """
    paths = sorted(site.parameters)
    counts = Counter(name for names in site.parameters.values() for name in names)
    sitewide = {name for name, count in counts.items() if count >= 0.8 * len(paths) > 3}
    forms, placed = [], set()
    for path in paths:
        fields = {
            name: Field(name, "text", value=value)
            for name, value in site.parameters[path].items()
            if name not in sitewide or name not in placed
        }
        placed.update(fields)
        if fields:
            forms.append(Form(path, path, "get", fields))
    return forms


def fuzz_everywhere(client, site: Site, findings: Findings) -> None:
    """Every parameter name seen anywhere, on every page (a page may read one it never
    links with), the corpus dealt out over names and pages so every value reaches each."""
    names = sorted({name for names in site.parameters.values() for name in names})
    paths = sorted({urlsplit(page).path for page in site.pages})
    size = len(CORPUS)
    rounds = max(1, -(-size // len(paths)))
    for p, path in enumerate(paths):
        for round_ in range(rounds):
            first = p * rounds + round_
            pairs = [(name, CORPUS[(first + j) % size]) for j, name in enumerate(names)]
            findings.check(send(client, "get", path, pairs), "GET", path, "*", pairs)


# ---------------------------------------------------------------- the residents


def seed_demo(app, city: str) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo", "--city", city, "--persons", "3"])
    assert result.exit_code == 0, result.output


def demo_resident(app, city: str) -> str:
    """The ID number of the first demo resident with an account, now with ``PASSWORD`` and
    an order in each open state (so that every button of an order's page is there)."""
    with app.app_context():
        account = db.session.scalar(
            select(Account).where(Account.city == city).order_by(Account.id)
        )
        account.password_hash = hash_secret(PASSWORD)
        account.must_change_password = False
        for seq, status in enumerate(sorted(OPEN), start=1):
            order = FACTORIES[PaymentOrder](
                city, person=account.person, number=f"FUZZ{seq:012d}", status=status
            )
            db.session.add(
                PaymentOrderLine(
                    city=city,
                    order_id=order.id,
                    person_id=order.person_id,
                    insurance_type="pension",
                    period=date(2026, seq, 1),
                    base=Decimal("4000.00"),
                    amount=Decimal("800.00"),
                    holds_period=True,
                )
            )
        db.session.commit()
        return account.person.id_number


def leaves(form: Form) -> bool:
    return bool(LEAVING.search(urlsplit(form.action).path))


def logged_in(client) -> bool:
    response = client.get("/account/change-password")
    return response.status_code == 200


# ---------------------------------------------------------------- the test


@pytest.fixture
def no_rate_limits(monkeypatch):
    monkeypatch.setattr(limiter, "enabled", False)


@pytest.mark.parametrize("city", CITIES)
@pytest.mark.parametrize("state", ["logged-out", "logged-in"])
def test_no_input_makes_a_500_or_comes_back_unescaped(app, client_for, no_rate_limits, city, state):
    seed_demo(app, city)
    client = client_for(city)
    id_number = None
    if state == "logged-in":
        id_number = demo_resident(app, city)
        assert client.login(id_number, PASSWORD).status_code == 302
        assert logged_in(client)
    site = crawl(client, start_pages(app, city))
    forms = sorted(site.forms.values(), key=leaves)
    assert forms, "no form was found"
    findings = Findings()
    fuzz_everywhere(client, site, findings)
    # A GET form's fields are among its path's parameters: fuzzed with them.
    forms = parameter_forms(site) + [form for form in forms if form.method == "post"]
    for number, form in enumerate(forms):
        if id_number and form.method == "post" and not leaves(form) and not logged_in(client):
            # A form logged the resident out (it may): log in again, so the rest is fuzzed
            # logged in.
            assert client.login(id_number, PASSWORD).status_code == 302, form.action
        fuzz_form(client, form, findings, start=number)
    summary = f"{len(forms)} forms, {findings.requests} requests"
    assert not findings.problems, summary + ":\n" + "\n".join(findings.problems[:40])
