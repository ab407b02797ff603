"""Pension personal account credits: one rule (``account_credit`` in the city's YAML) for every
month, however it came into the records.

A flexible-employment payer pays 20 % of the base; 8 % of the base is credited to the
personal account (国发〔2005〕38号), the rest goes to the pooled fund. The statement page, the
certificates and the verify page show the same credited figures; a year the YAML has no rule
for is a sentence, not a 500.
"""

from __future__ import annotations

import logging
import random
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
import yaml
from sqlalchemy import select

from shebao.core import time as clock
from shebao.core.batch import insert_returning
from shebao.core.extensions import db
from shebao.core.money import to_fen
from shebao.modules.contributions.models import SELF_PAYER, Contribution
from shebao.modules.contributions.posting import PaidLine, post_paid_contributions
from shebao.modules.contributions.seed import seed_contributions
from shebao.modules.payments.amounts import flexible_lines
from shebao.modules.pension_account.services import account_statement, pension_months
from shebao.people.demo import demo_rows
from shebao.people.models import Person
from shebao.registry import all_modules
from shebao.tenancy.loader import parse_city_file
from tests.conftest import SHIPPED_CITIES
from tests.factories_contributions import contribution, record_months

TODAY = date(2026, 11, 25)
STATEMENT = "/pension-account/statement"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
EIGHT, TWENTY = Decimal("0.08"), Decimal("0.20")


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(clock, "local_today", lambda: TODAY)


def text(response) -> str:
    return response.get_data(as_text=True)


def rows_of(html: str, caption: str) -> list[str]:
    table = html.split(caption, 1)[1]
    body = re.search(r"<tbody>(.*?)</tbody>", table, re.S).group(1)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    return [
        "|".join(c.strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S))
        for row in rows
    ]


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def print_pdf(client, path: str, data: dict):
    page = text(client.get(path))
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    return client.post(path.split("?")[0], data={"csrf_token": token, **data})


def verify_page(client_for, pdf: str) -> str:
    code = re.search(r"/verify/([A-Za-z0-9_-]{32})", pdf).group(1)
    page = client_for("binzhou").get(f"/verify/{code}?lang=en")
    assert page.status_code == 200 and "This certificate is genuine" in text(page)
    return text(page)


def pay_flexible_pension_online(client, start: str, end: str, base: str) -> None:
    """个体人员缴费 through the portal and the sandbox bank, as a resident does."""
    response = client.submit(
        "/payments/flexible", {"start": start, "end": end, "types": ["pension"], "base": base}
    )
    assert response.status_code == 302, text(response)
    order = response.headers["Location"]

    def press(step: str, data: dict | None = None):
        token = CSRF.search(text(client.get(order + "?lang=en"))).group(1)
        return client.post(f"{order}/{step}", data={"csrf_token": token, **(data or {})})

    assert press("confirm").status_code == 302
    bank_page = press("pay", {"bank": "icbc"}).headers["Location"]
    token = CSRF.search(text(client.get(bank_page))).group(1)
    back = client.post(bank_page, data={"csrf_token": token, "action": "paid"})
    assert back.status_code == 302
    assert "Payment successful" in text(client.get(order + "?lang=en"))


def pension_rows(app, person_id: int) -> list[tuple]:
    with app.app_context():
        return [
            (row.period, row.base, row.individual, row.employer, row.payer)
            for row in db.session.scalars(
                select(Contribution)
                .where(
                    Contribution.person_id == person_id, Contribution.insurance_type == "pension"
                )
                .order_by(Contribution.period)
            )
        ]


def test_a_month_paid_online_credits_8_percent_like_a_seeded_flexible_month(
    app, binzhou, make_resident, city_of
):
    me = make_resident("binzhou", 1, category="flexible")
    binzhou.login(me.id_number, me.password)
    pay_flexible_pension_online(binzhou, "2026-09", "2026-10", "5000")

    # Recorded as paid: 20 % of the base, all of it the person's.
    five = Decimal("5000.00")
    assert pension_rows(app, me.id) == [
        (date(2026, 9, 1), five, Decimal("1000.00"), Decimal("0.00"), SELF_PAYER),
        (date(2026, 10, 1), five, Decimal("1000.00"), Decimal("0.00"), SELF_PAYER),
    ]
    # Credited: 8 % of the base, 400.00 a month (before: the 1,000.00 paid).
    html = text(binzhou.get(STATEMENT + "?lang=en"))
    assert rows_of(html, "Pension personal account by year") == [
        "2026|2|5,000.00|800.00|3.00%|0.00|800.00"
    ]
    assert rows_of(html, "Pension contributions in 2026") == [
        "Sep 2026|5,000.00|1,000.00|400.00|Paid",
        "Oct 2026|5,000.00|1,000.00|400.00|Paid",
    ]

    # A seeded flexible-employment month of the same city: the same rule, the same shape.
    with app.app_context():
        city = city_of("binzhou")
        rows = demo_rows(city, 40, 11)
        ids = insert_returning(Person, rows, key="id_number")
        people = [dict(row, id=ids[row["id_number"]]) for row in rows]
        seed_contributions(city, people, random.Random(5))
        flexible = next(row for row in people if row["category"] == "flexible")
        person = db.session.get(Person, flexible["id"])
        statement = account_statement(city, person)
        paid = [
            month
            for month in pension_months(city, person, statement[-1].year).months
            if month.status_label in ("Paid", "已缴费")
        ]
        assert paid
        for month in paid:
            assert month.individual == to_fen(month.base * TWENTY)
            assert month.credited == to_fen(month.base * EIGHT)
        assert statement[-1].credited == sum(month.credited for month in paid)
        db.session.rollback()


def test_a_worked_example_to_the_fen(app, make_resident, city_of):
    """Twelve months at a base of 4,321.37 yuan, posted as the bank notification posts them.

    Paid each month: 4,321.37 × 20 % = 864.274 → 864.27. Credited: × 8 % = 345.7096 → 345.71.
    2025 (Nov, Dec): 2 × 345.71 = 691.42. 2026 (Jan–Oct): 10 × 345.71 = 3,457.10, plus 3 %
    interest on 691.42 = 20.7426 → 20.74; balance 691.42 + 20.74 + 3,457.10 = 4,169.26.
    """
    me = make_resident("binzhou", 1, category="flexible")
    with app.app_context():
        city = city_of("binzhou")
        flexible = city.options("payments").flexible
        lines = flexible_lines(
            flexible, date(2025, 11, 1), date(2026, 10, 1), ["pension"], Decimal("4321.37"), TODAY
        )
        assert {line.amount for line in lines} == {Decimal("864.27")}
        post_paid_contributions(
            city.code,
            me.id,
            [PaidLine(line.insurance_type, line.period, line.base, line.amount) for line in lines],
        )
        db.session.commit()
        statement = account_statement(city, db.session.get(Person, me.id))
    assert [
        (line.year, line.months_paid, line.credited, line.interest, line.closing_balance)
        for line in statement
    ] == [
        (2025, 2, Decimal("691.42"), Decimal("0.00"), Decimal("691.42")),
        (2026, 10, Decimal("3457.10"), Decimal("20.74"), Decimal("4169.26")),
    ]


def test_an_employee_month_credits_its_rate_and_a_flexible_one_its_own(app, make_resident, city_of):
    """Dezhou's rule differs by category from 2006 to 2018: employees 5 % (the city's
    individual rate then), flexible employment 8 %."""
    me = make_resident("dezhou", 1)
    with app.app_context():
        city = city_of("dezhou")
        record_months(city, me.id, "pension", 2010, months=[1], base="2000")  # employee
        contribution(
            "dezhou",
            owner=db.session.get(Person, me.id),
            period=date(2011, 1, 1),
            base=Decimal("2000.00"),
            individual=Decimal("400.00"),
            employer=Decimal("0.00"),
            payer=SELF_PAYER,
        )
        statement = account_statement(city, db.session.get(Person, me.id))
    assert [(line.year, line.credited) for line in statement] == [
        (2010, Decimal("100.00")),  # 2,000 × 5 %
        (2011, Decimal("160.00")),  # 2,000 × 8 % (of the 400.00 paid)
    ]


def test_statement_certificates_and_verify_page_show_the_same_credited_figures(
    app, binzhou, client_for, make_resident, city_of
):
    """Employed in 2025 (8 % of 5,000 a month), then flexible employment paid online in 2026.

    2025: 12 × 400.00 = 4,800.00. 2026: 2 × 400.00 = 800.00 credited (not the 2,000.00 paid),
    3 % interest on 4,800.00 = 144.00; balance 4,800.00 + 144.00 + 800.00 = 5,744.00.
    """
    me = make_resident("binzhou", 1, category="flexible", name="赵六")
    with app.app_context():
        record_months(city_of("binzhou"), me.id, "pension", 2025, base="5000")
        db.session.commit()
    binzhou.login(me.id_number, me.password)
    pay_flexible_pension_online(binzhou, "2026-09", "2026-10", "5000")

    statement = text(binzhou.get(STATEMENT + "?lang=en"))
    assert rows_of(statement, "Pension personal account by year") == [
        "2026|2|5,000.00|800.00|3.00%|144.00|5,744.00",
        "2025|12|5,000.00|4,800.00|3.00%|0.00|4,800.00",
    ]
    assert re.search(r"<td class=\"number\">5,600.00</td>", statement)  # all years credited

    # 养老账户对账单: on screen, in the PDF, and on the verify page.
    path = "/printing/account-statement"
    screen = text(binzhou.get(path + "?lang=en"))
    assert "800.00" in screen and "5,744.00" in screen and "2,000.00" not in screen
    pdf = pdf_text(print_pdf(binzhou, path + "?lang=en", {"from": "2025", "to": "2026"}).data)
    assert "赵六" in pdf and "5,600.00" in pdf and "144.00" in pdf and "5,744.00" in pdf
    verified = verify_page(client_for, pdf)
    for figure in ("5,600.00", "144.00", "5,744.00"):
        assert f'<dd class="number">{figure}</dd>' in verified, figure

    # 个人权益记录单 of 2026: what was paid in the year, and the same account balance.
    path = "/printing/rights-record"
    screen = text(binzhou.get(path + "?year=2026&lang=en"))
    assert "Pension personal account balance at the end of 2026: 5,744.00 yuan" in screen
    pdf = pdf_text(print_pdf(binzhou, path + "?year=2026&lang=en", {"year": "2026"}).data)
    assert "5,744.00" in pdf and "2,000.00" in pdf  # the balance, and the 20 % paid
    verified = verify_page(client_for, pdf)
    assert '<dd class="number">5,744.00</dd>' in verified
    assert '<dd class="number">2,000.00</dd>' in verified


def test_a_year_without_a_credit_rule_is_a_sentence_not_a_500(app, binzhou, make_resident, caplog):
    """Binzhou's rule starts in 2000; a month of 1998 in the records (an import, say) cannot
    be credited: every page says so, nothing is printed, and the log names the YAML key."""
    me = make_resident("binzhou", 1)
    with app.app_context():
        contribution("binzhou", owner=db.session.get(Person, me.id), period=date(1998, 5, 1))
        db.session.commit()
    binzhou.login(me.id_number, me.password)
    sentence = (
        "Your pension personal account cannot be shown: the rules of this city do not say how "
        "much of the contribution base is credited to the account in 1998."
    )
    with caplog.at_level(logging.ERROR, logger="shebao.pension_account"):
        page = binzhou.get(STATEMENT + "?lang=en")
    assert page.status_code == 200
    assert sentence in text(page) and "<table" not in text(page)
    assert "modules.pension_account.account_credit has no rule in force in 1998" in caplog.text
    assert "binzhou" in caplog.text
    chinese = text(binzhou.get(STATEMENT + "?lang=zh_CN"))
    assert "1998 年缴费基数记入个人账户的比例" in chinese

    for path, data in (
        ("/printing/account-statement", {}),
        ("/printing/rights-record", {"year": "1998"}),
    ):
        screen = binzhou.get(path + "?lang=en&year=1998")
        assert screen.status_code == 200 and sentence in text(screen), path
        printed = print_pdf_without_form(binzhou, path, data)
        assert printed.status_code == 422 and printed.mimetype == "text/html", path


def print_pdf_without_form(client, path: str, data: dict):
    """POST with a token from another form (a certificate that cannot be made shows none)."""
    page = text(client.get("/printing/contribution-certificate"))
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    return client.post(path, data={"csrf_token": token, **data})


def test_a_pension_account_without_credit_rules_is_a_configuration_error(tmp_path):
    data = yaml.safe_load((SHIPPED_CITIES / "binzhou" / "city.yaml").read_text(encoding="utf-8"))
    data["modules"]["pension_account"] = {"interest_rates": {2016: 0.0831}}
    shutil.copytree(SHIPPED_CITIES / "provinces", tmp_path / "provinces")  # its `extends`
    (tmp_path / "binzhou").mkdir()
    path = tmp_path / "binzhou" / "city.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    config, problems = parse_city_file(path, all_modules(), "binzhou/city.yaml")
    assert config is None
    assert "binzhou/city.yaml: modules.pension_account.account_credit: is required" in problems

    data["modules"]["pension_account"] = {"account_credit": {2006: {"employee": 0.08}}}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    config, problems = parse_city_file(path, all_modules(), "binzhou/city.yaml")
    assert config is None
    assert (
        "binzhou/city.yaml: modules.pension_account.account_credit.2006.flexible: is required"
        in problems
    ), problems
