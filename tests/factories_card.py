"""Factories of the card and benefits modules' city-owned models (for the isolation test)."""

from __future__ import annotations

import random
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from html.parser import HTMLParser
from types import SimpleNamespace

from shebao.core.extensions import db
from shebao.modules.benefits.models import BenefitItem, BenefitPayment
from shebao.modules.card.models import Card, CardEvent, CardSwipe


def person(city: str, seq: int = 1, **values):
    """``tests.factories.person`` (imported late: that module imports this one for FACTORIES)."""
    from tests.factories import person as make_person

    return make_person(city, seq, **values)


def _add(row):
    db.session.add(row)
    db.session.flush()
    return row


def card(city: str, seq: int = 1, **values) -> Card:
    owner = values.pop("owner", None) or person(city, seq)
    return _add(
        Card(
            city=city,
            person_id=owner.id,
            card_number=values.pop("card_number", owner.card_number),
            bank=values.pop("bank", "中国工商银行"),
            status=values.pop("status", "normal"),
            issued_on=values.pop("issued_on", date(2020, 3, 1)),
            valid_until=values.pop("valid_until", date(2030, 3, 1)),
            **values,
        )
    )


def card_event(city: str, seq: int = 1) -> CardEvent:
    owner = card(city, seq)
    return _add(
        CardEvent(
            city=city,
            card_id=owner.id,
            person_id=owner.person_id,
            kind="issue",
            occurred_at=datetime(2020, 3, 1, 2, 0, tzinfo=UTC),
            channel="counter",
            office="测试网点",
        )
    )


def card_swipe(city: str, seq: int = 1) -> CardSwipe:
    owner = person(city, seq)
    return _add(
        CardSwipe(
            city=city,
            person_id=owner.id,
            swiped_at=datetime(2025, 5, 6, 3, 0, tzinfo=UTC),
            place="测试医院",
            kind="outpatient",
            amount=Decimal("12.30"),
        )
    )


def benefit_payment(city: str, seq: int = 1) -> BenefitPayment:
    owner = person(city, seq, category="retiree")
    return _add(
        BenefitPayment(
            city=city,
            person_id=owner.id,
            benefit_type="pension",
            period=date(2025, 5, 1),
            paid_on=date(2025, 5, 5),
            total=Decimal("3000.00"),
        )
    )


def benefit_item(city: str, seq: int = 1) -> BenefitItem:
    payment = benefit_payment(city, seq)
    return _add(
        BenefitItem(
            city=city,
            payment_id=payment.id,
            position=1,
            name="基本养老金",
            amount=Decimal("3000.00"),
        )
    )


FACTORIES: dict = {
    Card: card,
    CardEvent: card_event,
    CardSwipe: card_swipe,
    BenefitPayment: benefit_payment,
    BenefitItem: benefit_item,
}


# --- helpers shared by tests/functional/test_card*.py and test_benefits*.py -----------------

#: The day the demo data of these tests is counted back from.
TODAY = date(2026, 11, 20)


def demo_residents(
    app,
    code: str,
    password: str,
    *,
    today: date = TODAY,
    modules: tuple[str, ...] = ("card", "benefits"),
) -> dict[str, SimpleNamespace]:
    """The city's fixed demo people with accounts, and the demo data of ``modules`` for them.

    The people come from ``demo_rows`` (as ``shebao seed-demo`` makes them); only the given
    modules' demo seeders run, so these tests do not depend on other modules' seeders.
    """
    from shebao.account.models import Account
    from shebao.account.secrets import hash_secret
    from shebao.people.demo import demo_rows
    from shebao.people.models import Person
    from shebao.registry import all_modules

    with app.app_context():
        city = app.extensions["shebao.cities"].get(code)
        password_hash = hash_secret(password)
        people = []
        for row in demo_rows(city, 0, 2026):
            person = Person(**row)
            db.session.add(person)
            db.session.flush()
            db.session.add(
                Account(
                    city=code,
                    person_id=person.id,
                    origin="demo",
                    phone=row["phone"],
                    password_hash=password_hash,
                )
            )
            people.append(dict(row, id=person.id))
        for name in modules:
            if city.module_enabled(name):
                all_modules()[name].parts.seeder(
                    city, people, random.Random(f"2026:{code}:{name}"), today=today
                )
        db.session.commit()
        return {
            row["name"]: SimpleNamespace(
                id=row["id"],
                id_number=row["id_number"],
                name=row["name"],
                category=row["category"],
                card_number=row["card_number"],
                password=password,
            )
            for row in people
        }


class _Tables(HTMLParser):
    """Every <table> of a page: caption and the cell texts of thead, tbody and tfoot rows."""

    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self._section = "body"
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append(
                {"caption": "", "head": [], "body": [], "foot": [], "number_cells": 0}
            )
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = {"thead": "head", "tbody": "body", "tfoot": "foot"}[tag]
        elif tag == "caption":
            self._caption = []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
            if "number" in (dict(attrs).get("class") or ""):
                self.tables[-1]["number_cells"] += 1

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1][self._section].append(self._row)
            self._row = None
        elif tag == "caption" and self._caption is not None:
            self.tables[-1]["caption"] = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = "body"

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._caption is not None:
            self._caption.append(data)


def tables(html: str) -> list[dict]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def h1s(html: str) -> list[str]:
    return [" ".join(text.split()) for text in re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)]


def amount(text: str) -> Decimal:
    """``1,234.50`` → Decimal('1234.50')."""
    return Decimal(text.replace(",", ""))
