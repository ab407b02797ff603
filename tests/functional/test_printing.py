"""打印业务: each certificate on screen, then 打印 → a PDF whose text (pdftotext) holds the
person's name, the totals and the verification code; the code verifies on /verify/<code>."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from decimal import Decimal

import pytest

from shebao.core.extensions import db
from shebao.modules.benefits.models import BenefitPayment
from shebao.modules.printing.models import IssuedCertificate
from tests.factories_contributions import record_months


def text(response) -> str:
    return response.get_data(as_text=True)


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def print_pdf(client, path: str, data: dict):
    page = text(client.get(path))
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page
    )
    assert match, "no 打印 form on " + path
    return client.post(path.split("?")[0], data={"csrf_token": match.group(1), **data})


@pytest.fixture
def record(app, city_of):
    def add(city: str, person_id: int, insurance_type: str, year: int, **values):
        with app.app_context():
            record_months(city_of(city), person_id, insurance_type, year, **values)
            db.session.commit()

    return add


@pytest.fixture
def pensions(app):
    def add(person_id: int, year: int, amount: str, months=range(1, 13)):
        with app.app_context():
            for month in months:
                db.session.add(
                    BenefitPayment(
                        city="binzhou",
                        person_id=person_id,
                        benefit_type="pension",
                        period=date(year, month, 1),
                        paid_on=date(year, month, 5),
                        total=Decimal(amount),
                    )
                )
            db.session.commit()

    return add


def verify_code(pdf: str) -> str:
    match = re.search(r"/verify/([A-Za-z0-9_-]{32})", pdf)
    assert match, pdf
    return match.group(1)


def test_contribution_certificate_prints_and_verifies(
    client_for, binzhou, make_resident, record, app
):
    me = make_resident("binzhou", 1, name="张三丰")
    record("binzhou", me.id, "pension", 2023, base="5000")
    record("binzhou", me.id, "pension", 2024, base="6000")
    record("binzhou", me.id, "medical", 2024, base="6000")
    binzhou.login(me.id_number, me.password)
    path = "/printing/contribution-certificate"
    page = binzhou.get(path + "?year=2024&lang=en")
    html = text(page)
    assert page.status_code == 200
    assert re.findall(r"<h1>(.*?)</h1>", html) == ["Contribution certificate"]
    assert "Contributions month by month in 2024" in html and "<tfoot>" in html
    assert 'name="year" value="2024"' in html

    response = print_pdf(binzhou, path + "?year=2024&lang=en", {"year": "2024"})
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    body = pdf_text(response.data)
    assert "张三丰" in body
    assert "Binzhou Social Insurance Centre" in body or "滨州市社会保险事业中心" in body
    # The frozen totals (from the city's rates) are the ones printed:
    with app.app_context():
        rows = db.session.scalars(
            db.select(IssuedCertificate).where(IssuedCertificate.person_id == me.id)
        ).all()
        assert len(rows) == 1
        totals = dict(rows[0].content["totals"])
    assert totals["months_paid"] == "36"
    assert totals["year_individual"] in body and totals["year_employer"] in body
    code = verify_code(body)
    assert code in body.replace("\n", "")
    assert rows[0].serial in body
    assert re.search(r"Page 1 of \d|第 1 页 共 \d 页", body)

    # The public verify page, without logging in: genuine, masked, the same totals.
    check = client_for("binzhou").get(f"/verify/{code}?lang=en")
    html = text(check)
    assert check.status_code == 200
    assert "This certificate is genuine" in html
    assert totals["year_individual"] in html and "2024" in html
    assert "张三丰" not in html and me.id_number not in html

    # A changed code is refused.
    altered = code[:-1] + ("A" if code[-1] != "A" else "B")
    refused = binzhou.get(f"/verify/{altered}?lang=en")
    assert refused.status_code == 404 and "not genuine" in text(refused)


def test_verify_page_is_public_and_survives_data_changes(
    client_for, binzhou, make_resident, record, app
):
    me = make_resident("binzhou", 1)
    record("binzhou", me.id, "pension", 2024)
    binzhou.login(me.id_number, me.password)
    body = pdf_text(print_pdf(binzhou, "/printing/rights-record", {"year": "2024"}).data)
    code = verify_code(body)
    with app.app_context():  # the records change after printing
        db.session.execute(db.delete(db.metadata.tables["contribution"]))
        db.session.commit()
    stranger = client_for("binzhou")
    page = stranger.get(f"/verify/{code}?lang=en")
    assert page.status_code == 200 and "This certificate is genuine" in text(page)
    # Another city does not know it (and Dezhou has no printing module at all).
    assert client_for("dezhou").get(f"/verify/{code}").status_code == 404


def test_an_altered_record_is_not_confirmed(binzhou, make_resident, record, app):
    me = make_resident("binzhou", 1)
    record("binzhou", me.id, "pension", 2024)
    binzhou.login(me.id_number, me.password)
    code = verify_code(pdf_text(print_pdf(binzhou, "/printing/rights-record", {}).data))
    with app.app_context():
        row = db.session.scalar(db.select(IssuedCertificate))
        row.content = {**row.content, "totals": [["year_individual", "999,999.00"]]}
        db.session.commit()
    assert "not genuine" in text(binzhou.get(f"/verify/{code}?lang=en"))


@pytest.mark.parametrize(
    "code", ["x", "A" * 32, "<script>alert(1)</script>", "' OR 1=1 --", "a" * 10000]
)
def test_unknown_or_malformed_codes_are_not_genuine(binzhou, code):
    page = binzhou.get("/verify/" + code + "?lang=en")
    assert page.status_code == 404
    assert "not genuine" in text(page) and "<script>alert" not in text(page)


def test_pension_income_certificate_for_a_retiree(binzhou, make_resident, pensions):
    me = make_resident("binzhou", 1, category="retiree", name="李四")
    pensions(me.id, 2024, "3215.40")
    pensions(me.id, 2025, "3300.00", months=range(1, 4))
    binzhou.login(me.id_number, me.password)
    path = "/printing/pension-income"
    html = text(binzhou.get(path + "?year=2024&lang=en"))
    assert "Monthly pension in 2024" in html and "38,584.80" in html
    body = pdf_text(print_pdf(binzhou, path + "?year=2024", {"year": "2024"}).data)
    assert "李四" in body and "38,584.80" in body and "3,215.40" in body
    verify_code(body)


def test_pension_income_refused_to_a_non_retiree(binzhou, make_resident, record):
    me = make_resident("binzhou", 1, category="employee")
    record("binzhou", me.id, "pension", 2024)
    binzhou.login(me.id_number, me.password)
    page = binzhou.get("/printing/pension-income?lang=en")
    html = text(page)
    assert page.status_code == 200
    assert "for retirees who receive a pension" in html
    assert "<table" not in html and 'name="submit"' not in html
    refused = print_pdf_without_form(binzhou, "/printing/pension-income", {"year": "2024"})
    assert refused.status_code == 422 and refused.mimetype == "text/html"


def print_pdf_without_form(client, path: str, data: dict):
    """POST with a token taken from another form of the site (the certificate shows none)."""
    page = text(client.get("/printing/contribution-certificate"))
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    token = match.group(1) if match else ""
    return client.post(path, data={"csrf_token": token, **data})


def test_no_data_says_so_instead_of_an_empty_table(binzhou, make_resident):
    me = make_resident("binzhou", 1)
    binzhou.login(me.id_number, me.password)
    for path, sentence in [
        ("/printing/contribution-certificate", "no contributions on record for you"),
        ("/printing/rights-record", "no contributions on record for you"),
        ("/printing/account-statement", "pension personal account has no entries"),
    ]:
        html = text(binzhou.get(path + "?lang=en"))
        assert sentence in html and "<table" not in html, path


def test_bad_conditions_get_a_message(binzhou, make_resident, record):
    me = make_resident("binzhou", 1)
    record("binzhou", me.id, "pension", 2023)
    record("binzhou", me.id, "pension", 2024)
    binzhou.login(me.id_number, me.password)
    for query in ["year=1999", "year=abc", "year=" + "9" * 10000, "year=<b>x</b>"]:
        page = binzhou.get("/printing/contribution-certificate?lang=en&" + query)
        assert page.status_code == 200 and 'role="alert"' in text(page), query
        assert "<b>x</b>" not in text(page)
    page = binzhou.get("/printing/account-statement?lang=en&from=2024&to=2023")
    assert "The first year must not be after the last year." in text(page)
    # Printing with a bad year records nothing and gives no PDF.
    response = print_pdf(binzhou, "/printing/rights-record", {"year": "1999"})
    assert response.status_code == 422 and response.mimetype == "text/html"


def test_account_statement_prints_the_chosen_years(binzhou, make_resident, record):
    me = make_resident("binzhou", 1, name="王五")
    record("binzhou", me.id, "pension", 2022)
    record("binzhou", me.id, "pension", 2023)
    record("binzhou", me.id, "pension", 2024)
    binzhou.login(me.id_number, me.password)
    path = "/printing/account-statement"
    html = text(binzhou.get(path + "?from=2023&to=2024&lang=en"))
    assert "Pension personal account by year" in html
    response = print_pdf(binzhou, path + "?from=2023&to=2024", {"from": "2023", "to": "2024"})
    body = pdf_text(response.data)
    assert "王五" in body and "2023 – 2024" in body and "2022 " not in body.split("2023 – 2024")[1]


def test_long_tables_repeat_their_header_and_number_pages(binzhou, make_resident, record):
    me = make_resident("binzhou", 1)
    for insurance_type in ("pension", "medical", "unemployment", "work_injury", "maternity"):
        record("binzhou", me.id, insurance_type, 2024)
    binzhou.login(me.id_number, me.password)
    response = print_pdf(binzhou, "/printing/contribution-certificate", {"year": "2024"})
    pages = pdf_text(response.data).split("\f")
    pages = [page for page in pages if page.strip()]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert re.search(
            rf"(Page {number} of {len(pages)}|第 {number} 页 共 {len(pages)} 页)", page
        )
    # The month table's header is printed again at the top of the next page.
    header = re.compile(r"(Month|缴费年月|月份)\s+(Insurance type|险种)")
    assert all(header.search(page) for page in pages[1:])


def test_demo_people_print_every_certificate(binzhou, app, city_of):
    from shebao.people.demo import DEMO_PASSWORD, DEMO_PEOPLE, demo_id_number
    from shebao.seeding import seed_city

    with app.app_context():
        seed_city(city_of("binzhou"), persons=0, seed=2026)
        db.session.commit()
    printed = {}
    for demo in DEMO_PEOPLE:
        client = binzhou.application.test_client()
        client.host = binzhou.host
        client.login(demo_id_number(city_of("binzhou"), demo), DEMO_PASSWORD)
        for path in (
            "/printing/contribution-certificate",
            "/printing/pension-income",
            "/printing/rights-record",
            "/printing/account-statement",
        ):
            html = text(client.get(path))
            if 'name="submit"' not in html:
                continue
            response = print_pdf(client, path, {})
            assert response.status_code == 200, (demo.name, path)
            body = pdf_text(response.data)
            assert demo.name in body
            printed[path] = True
    assert len(printed) == 4
