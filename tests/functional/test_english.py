"""English that is complete: every menu page of both cities, in English, for the demo employee,
has no Chinese outside resident data; an anonymous visitor's menu has no account items."""

from __future__ import annotations

import re

import pytest

from shebao.core import time as clock
from shebao.people.demo import DEMO_PASSWORD, DEMO_PEOPLE, demo_id_number
from shebao.people.idnumber import mask_name
from shebao.seeding import seed_city

ZHANG = DEMO_PEOPLE[0]  # employee with an account in both cities
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]+")
MENU = re.compile(r'<nav id="site-menu".*?</nav>', re.S)
#: A control's value is what the form sends back (a question is stored as its Chinese text).
VALUE = re.compile(r' value="[^"]*"')
#: Resident data recorded in Chinese may appear in English pages as recorded.
LANGUAGE_SWITCH = "中文"


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def demo(app, city_of):
    with app.app_context():
        for code in ("binzhou", "dezhou"):
            seed_city(city_of(code), persons=0, seed=2026)
    return {code: demo_id_number(city_of(code), ZHANG) for code in ("binzhou", "dezhou")}


def resident_data(app, code: str, id_number: str) -> set[str]:
    """Text recorded about the person (name, employers, addresses, places): allowed as is."""
    from sqlalchemy import inspect

    from shebao.core.extensions import db
    from shebao.people.models import Person

    recorded: set[str] = set()
    with app.app_context():
        assert db.session.query(Person).filter_by(city=code, id_number=id_number).one()
        for mapper in db.Model.registry.mappers:
            model = mapper.class_
            columns = [c for c in inspect(model).columns if _str_type(c)]
            if not hasattr(model, "city"):
                continue
            # The city's recorded rows: the demo people's own and the public ones (job
            # postings, job seekers); the demo has few people, so all of them.
            rows = db.session.query(model).filter_by(city=code).all()
            for row in rows:
                for column in columns:
                    value = getattr(row, column.key, None)
                    if isinstance(value, str) and HAN.search(value):
                        recorded |= {value, mask_name(value)}  # names are shown masked
    return recorded


def chinese_left(html: str, allowed: set[str]) -> list[str]:
    for value in sorted(allowed, key=len, reverse=True):
        html = html.replace(value, "")
    html = VALUE.sub("", html).replace(f">{LANGUAGE_SWITCH}<", "><")
    return [html[max(0, m.start() - 60) : m.end() + 20] for m in HAN.finditer(html)]


def _str_type(column) -> bool:
    try:
        return column.type.python_type is str
    except NotImplementedError:
        return False


@pytest.mark.parametrize("code", ["binzhou", "dezhou"])
def test_every_menu_page_is_english_for_the_demo_employee(app, client_for, city_of, demo, code):
    client = client_for(code)
    assert client.login(demo[code], DEMO_PASSWORD).status_code == 302
    allowed = resident_data(app, code, demo[code]) | {city_of(code).config.name.get("zh_CN", "")}
    paths = {"/"}
    with app.test_request_context(headers={"Host": f"{code}.localhost"}):
        from flask import url_for

        for menu in city_of(code).menus:
            for link in menu.links:
                if link.endpoint not in {"account.logout"}:
                    paths.add(url_for(link.endpoint))
    problems = {}
    for path in sorted(paths):
        response = client.get(path, query_string={"lang": "en"})
        assert response.status_code == 200, path
        left = chinese_left(text(response), allowed)
        if left:
            problems[path] = left
    assert not problems, problems


@pytest.mark.parametrize("code", ["binzhou", "dezhou"])
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_anonymous_menu_has_no_account_items(client_for, city_of, code, lang):
    html = text(client_for(code).get("/account/login", query_string={"lang": lang}))
    menu = MENU.search(html)
    names = (
        "退出当前账号",
        "修改密码",
        "密码修改",
        "Log out",
        "Change password",
        "/account/logout",
    )
    assert menu is None or not any(name in menu.group(0) for name in names)
    assert "/account/change-password" not in (menu.group(0) if menu else "")


def test_logged_in_menu_still_has_the_account_items(dezhou, demo):
    dezhou.login(demo["dezhou"], DEMO_PASSWORD)
    menu = MENU.search(text(dezhou.get("/"))).group(0)
    assert "/account/change-password" in menu and "/account/logout" in menu


_ = clock  # the pages read today's date through core.time


def test_recovery_questions_follow_the_language(dezhou, demo):
    for lang in ("en", "zh_CN"):
        form = text(dezhou.get("/account/recover"))
        token = re.search(r'name="start-csrf_token" type="hidden" value="([^"]+)"', form)
        page = dezhou.post(
            f"/account/recover?lang={lang}",
            data={"start-csrf_token": token.group(1), "start-id_number": demo["dezhou"]},
        )
        html = text(page)
        assert page.status_code == 200 and 'name="answer-answer1"' in html
        labels = re.findall(r'<label for="answer-answer[123]">([^<]*)</label>', html)
        assert len(labels) == 3, labels
        in_chinese = [bool(HAN.search(label)) for label in labels]
        assert in_chinese == [lang == "zh_CN"] * 3, labels
