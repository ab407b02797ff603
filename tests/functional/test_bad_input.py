"""No input makes a 500 (issue 10, points 9–12), one focused case per kind of bad input.

- Numbers are read in ASCII digits only: "²" is a digit to ``str.isdigit()`` but ``int("²")``
  raises; "１２" (full width) and "1e30" are numbers to ``int()`` / ``Decimal()``.
- Control characters (a NUL byte first: PostgreSQL refuses it in any statement) are refused
  next to the field by the one base form, ``shebao.web.forms.Form``; in a GET parameter by
  the query helpers; in a path no page has them.
- After a database error the city's themed 500 page is shown (the session rolled back first).
- A database error is logged without what the resident typed.

Run on SQLite and on PostgreSQL (``SHEBAO_TEST_DATABASE_URL``); the fuzz test
(``test_fuzz.py``) tries every form and parameter with the whole corpus.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import re
from datetime import date

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import select, text
from werkzeug.datastructures import MultiDict
from wtforms import StringField, TextAreaField

import shebao
from shebao.account.models import Account
from shebao.core import time as clock
from shebao.core.extensions import db
from shebao.modules.card_collection.models import CardApplication
from shebao.modules.employment import services as employment
from shebao.people.models import Person
from shebao.web.forms import Form
from shebao.web.queries import CONTROL_CHARACTERS_MESSAGE
from tests.conftest import PASSWORD
from tests.functional.test_fuzz import demo_resident, seed_demo

TODAY = date(2026, 11, 25)
TOKEN = re.compile(r'name="(?:[a-z]+-)?csrf_token" type="hidden" value="([^"]+)"')
ODD_DIGITS = ["²", "①", "１２", "٣", "1e309", "-1", "9" * 40, "2\x00", "0x10"]
CONTROL = "\x00"
#: What a resident typed, recognisable in a log.
TYPED = "RECOGNISABLE-13912345678"


def text_of(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(clock, "local_today", lambda: TODAY)


@pytest.fixture
def resident_of(app, client_for):
    """A logged-in client of the city, as its first demo resident (demo data seeded)."""

    def make(city: str):
        seed_demo(app, city)
        client = client_for(city)
        assert client.login(demo_resident(app, city), PASSWORD).status_code == 302
        return client

    return make


def submit(client, path: str, data: dict, lang: str = "en", prefix: str = ""):
    token = TOKEN.search(text_of(client.get(f"{path}?lang={lang}"))).group(1)
    return client.post(path, data={f"{prefix}csrf_token": token, **data})


# ---------------------------------------------------------------- 9. digits


@pytest.mark.parametrize("value", ODD_DIGITS, ids=repr)
def test_a_page_number_in_other_digits_is_explained_without_login(binzhou, value):
    response = binzhou.get("/employment/jobs", query_string={"page": value, "lang": "en"})
    assert response.status_code == 200
    assert "The page number must be a whole number from 1 up." in text_of(response)


@pytest.mark.parametrize(
    "path, parameter",
    [
        ("/contributions/pension", "year"),
        ("/pension-account/statement", "year"),
        ("/benefits/pension", "year"),
        ("/printing/contribution-certificate", "year"),
        ("/printing/account-statement", "from"),
        ("/printing/account-statement", "to"),
    ],
)
def test_a_year_in_other_digits_is_explained(resident_of, path, parameter):
    client = resident_of("binzhou")
    for value in ("²", "２０２４", "٢٠٢٤"):
        response = client.get(path, query_string={parameter: value, "lang": "en"})
        assert response.status_code == 200, (path, value)
        assert "Choose a year from the list." in text_of(response), (path, value)


def test_a_month_in_other_digits_is_explained(resident_of):
    client = resident_of("binzhou")
    for value in ("²", "1²", "①②"):
        response = client.get("/benefits/pension", query_string={"month": value, "lang": "en"})
        assert response.status_code == 200
        assert "Choose a month from the list." in text_of(response)


def test_a_resident_pension_year_in_other_digits_is_refused_next_to_the_field(resident_of):
    client = resident_of("binzhou")
    for value in ("²", "٢٠٢٦", "２０２６"):
        response = submit(client, "/payments/resident-pension", {"year": value, "grade": "300"})
        assert response.status_code == 200, value
        assert "Choose a year from the list." in text_of(response)


def test_a_resident_pension_grade_that_is_no_number_is_refused(resident_of):
    client = resident_of("binzhou")
    for value in ("sNaN", "NaN", "1e309", "３００"):
        response = submit(client, "/payments/resident-pension", {"year": "2026", "grade": value})
        assert response.status_code == 200, value
        assert "Choose a grade from the list." in text_of(response)


def test_a_resident_medical_year_in_other_digits_is_refused(resident_of):
    client = resident_of("binzhou")
    response = submit(client, "/payments/resident-medical", {"year": "²²²²"})
    assert response.status_code == 200


@pytest.mark.parametrize("base", ["1e30", "1e309", "NaN", "sNaN", "Infinity", "４５００", "-4500"])
def test_a_flexible_base_that_is_no_amount_in_yuan_is_refused(resident_of, base):
    client = resident_of("binzhou")
    data = {"start": "2026-09", "end": "2026-10", "types": ["pension"], "base": base}
    response = submit(client, "/payments/flexible", data)
    assert response.status_code == 200
    assert "Enter the base in yuan" in text_of(response)


def test_a_collection_point_in_other_digits_is_refused_next_to_the_field(app, resident_of):
    client = resident_of("dezhou")
    response = submit(client, "/card-collection/info", {"collection_point": "²", "save": "1"})
    assert response.status_code == 200
    assert "Choose one of the places in the list." in text_of(response)


def test_raw_bytes_in_the_query_string_are_read_like_bad_percent_escapes(binzhou):
    response = binzhou.get(
        "/employment/jobs", environ_overrides={"QUERY_STRING": "lang=en&page=\xff\xfe"}
    )
    assert response.status_code == 200
    assert "The page number must be a whole number from 1 up." in text_of(response)


# ---------------------------------------------------------------- 10. control characters


def test_a_nul_byte_in_the_collection_address_is_refused_next_to_it(app, resident_of):
    client = resident_of("dezhou")
    with app.app_context():
        before = [(row.address, row.status) for row in db.session.scalars(select(CardApplication))]
    response = submit(client, "/card-collection/info", {"address": f"北京路{CONTROL}1号"})
    html = text_of(response)
    assert response.status_code == 200
    assert "This contains invisible control characters." in html
    assert 'aria-describedby="address-error"' in html
    assert "北京路1号" in html  # what was typed is kept, without the control character
    with app.app_context():
        after = [(row.address, row.status) for row in db.session.scalars(select(CardApplication))]
        assert after == before


def test_a_nul_byte_in_the_e_mail_is_refused_in_chinese_too(app, resident_of):
    client = resident_of("binzhou")
    with app.app_context():
        before = [(account.phone, account.email) for account in db.session.scalars(select(Account))]
    phone = before[0][0]
    for lang, message in (("en", "invisible control characters"), ("zh_CN", "不可见的控制字符")):
        response = submit(
            client,
            "/account/registration-info",
            {"phone": phone, "email": f"a{CONTROL}@example.com"},
            lang=lang,
        )
        assert response.status_code == 200
        assert message in text_of(response)
    with app.app_context():
        after = [(account.phone, account.email) for account in db.session.scalars(select(Account))]
        assert after == before


def test_a_nul_byte_in_a_hidden_field_read_before_validation_is_no_500(dezhou):
    data = {"answer-id_number": f"3714{CONTROL}", "answer-answer1": "x"}
    response = submit(dezhou, "/account/recover", data, prefix="answer-")
    assert response.status_code == 200


def test_a_nul_byte_in_a_get_form_is_refused_next_to_the_field(resident_of):
    client = resident_of("binzhou")
    response = client.get(
        "/personal-info/progress", query_string={"serial": f"12{CONTROL}3", "lang": "en"}
    )
    assert response.status_code == 200
    assert "This contains invisible control characters." in text_of(response)


def test_a_nul_byte_in_a_path_is_not_found(resident_of):
    client = resident_of("binzhou")
    assert client.get("/payments/orders/FUZZ%00").status_code == 404
    assert client.post("/payments/orders/FUZZ%00/void").status_code == 404


@pytest.mark.parametrize(
    "value, field_class, refused",
    [
        ("a\x00b", StringField, True),
        ("a\tb", StringField, True),
        ("a\x85b", StringField, True),
        ("a\ud800b", StringField, True),
        ("a\uffffb", StringField, True),
        ("a\U0010fffeb", StringField, True),
        ("a\u200bb\u202e", StringField, False),  # zero-width and direction marks are text
        ("line one\r\nline\ttwo", TextAreaField, False),
        ("line one\x00", TextAreaField, True),
    ],
    ids=repr,
)
def test_the_base_form_refuses_control_characters(app, value, field_class, refused):
    class OneField(Form):
        class Meta:
            csrf = False

        words = field_class()

    with app.test_request_context("/"):
        form = OneField(formdata=MultiDict({"words": value}))
        assert form.validate() is not refused
        if refused:
            assert form.words.errors == [str(CONTROL_CHARACTERS_MESSAGE)]
            assert "\x00" not in form.words.data  # code reading it early gets no NUL


def test_every_form_of_the_platform_is_a_shebao_form():
    for module in pkgutil.walk_packages(shebao.__path__, "shebao."):
        if module.name.endswith(".forms") or module.name.endswith(".views"):
            importlib.import_module(module.name)
    outside = {
        f"{form.__module__}.{form.__qualname__}"
        for form in _subclasses(FlaskForm)
        if form.__module__.startswith("shebao.") and not issubclass(form, Form)
    }
    # The sandbox bank (development only) sits below the web layer; its one field is the
    # CSRF token.
    assert outside == {"shebao.integrations.bank.views.SandboxForm"}


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


# ---------------------------------------------------------------- 11, 12. database errors


@pytest.fixture
def failing_search(monkeypatch):
    """The job search fails in the database, as a flush would, with what was typed."""

    def fail(city, search, today, page, per_page=10):
        db.session.add(
            Person(
                city=city.code,
                id_number="37",
                name=None,
                sex="M",
                birth_date=TODAY,
                category="employee",
                employer=search.keyword,
            )
        )
        db.session.flush()

    monkeypatch.setattr(employment, "search_jobs", fail)


@pytest.mark.parametrize("lang, words", [("en", "Something went wrong"), ("zh_CN", "系统出现错误")])
def test_after_a_database_error_the_themed_500_page_is_shown(
    resident_of, failing_search, lang, words
):
    client = resident_of("binzhou")
    response = client.get("/employment/jobs", query_string={"keyword": TYPED, "lang": lang})
    html = text_of(response)
    assert response.status_code == 500
    assert words in html
    assert "site-menu" in html  # the city's own layout, not the bare unknown-host page
    assert client.get("/personal-info/basic").status_code == 200  # still logged in


def test_a_database_error_is_logged_without_what_was_typed(
    app, binzhou, failing_search, caplog, monkeypatch
):
    caplog.set_level(logging.INFO)
    response = binzhou.get("/employment/jobs", query_string={"keyword": TYPED})
    assert response.status_code == 500
    assert "IntegrityError" in caplog.text or "NotNullViolation" in caplog.text
    assert TYPED not in caplog.text

    def statement_fails(city, search, today, page, per_page=10):
        db.session.execute(
            text("SELECT no_such_column FROM person WHERE name = :name"), {"name": search.keyword}
        )

    caplog.clear()
    monkeypatch.setattr(employment, "search_jobs", statement_fails)
    assert binzhou.get("/employment/jobs", query_string={"keyword": TYPED}).status_code == 500
    assert "no_such_column" in caplog.text
    assert TYPED not in caplog.text
