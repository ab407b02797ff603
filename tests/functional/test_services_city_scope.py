"""Read services filter by the city they are given, not only by the request's scoping.

Outside any request nothing scopes queries automatically (commands and jobs run there), so
each read service must filter by its ``city`` argument itself. Two cities here hold the same
person (the same ID number, name and phone) with the same rows; a service called for one city
returns only that city's rows (a leak would double every count), and a service called for
a city with a person of the other city finds nothing of theirs.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from shebao.core.extensions import db
from shebao.core.time import local_today
from shebao.modules.card import services as card
from shebao.modules.card.models import CardEvent, CardSwipe
from shebao.modules.card_collection import services as card_collection
from shebao.modules.card_collection.todo import unfinished_collection
from shebao.modules.employment import services as employment
from shebao.modules.labour import services as labour
from shebao.modules.personal_info import services as personal_info
from shebao.modules.todo import services as todo
from shebao.people.models import Person, PersonInsurance
from shebao.tenancy.scoping import current_scope
from tests import factories
from tests.factories_card import card as make_card
from tests.factories_card_collection import card_application, card_photo
from tests.factories_employment import job_posting, job_seeker
from tests.factories_personal_info import business_case, labour_filing, serial_of

SWIPE_MONTH = date(2025, 5, 1)
EVENTS, SWIPES, POSTINGS, SEEKERS, FILINGS, CASES = 2, 3, 3, 2, 2, 2


def _same_rows(code: str) -> int:
    """The one person (same ID number in every city) and every module's rows; their id."""
    person = factories.person(code, 1)
    db.session.add(
        PersonInsurance(
            city=code,
            person=person,
            insurance_type="pension",
            status="active",
            first_insured=date(2005, 1, 1),
        )
    )
    held = make_card(code, 1, owner=person)
    for day in range(EVENTS):
        db.session.add(
            CardEvent(
                city=code,
                card_id=held.id,
                person_id=person.id,
                kind="issue",
                occurred_at=datetime(2020, 3, 1 + day, 2, tzinfo=UTC),
                channel="counter",
                office="测试网点",
            )
        )
    for day in range(SWIPES):
        db.session.add(
            CardSwipe(
                city=code,
                person_id=person.id,
                swiped_at=datetime(2025, 5, 6 + day, 3, tzinfo=UTC),
                place="测试医院",
                kind="outpatient",
                amount=Decimal("12.30"),
            )
        )
    card_application(code, 1, person=person, status="draft")
    card_photo(code, 1, person=person, status="rejected", reject_reason="背景不是白色")
    for seq in range(1, FILINGS + 1):
        labour_filing(code, seq, person=person)
    for seq in range(1, CASES + 1):
        business_case(code, seq, person=person)
    for seq in range(1, POSTINGS + 1):
        job_posting(code, seq)
    for seq in range(1, SEEKERS + 1):
        job_seeker(code, seq)
    db.session.flush()
    return person.id


@pytest.fixture
def two_cities(app):
    """Binzhou's and Dezhou's copies of the same person and rows, committed: their ids."""
    with app.app_context():
        ids = SimpleNamespace(binzhou=_same_rows("binzhou"), dezhou=_same_rows("dezhou"))
        db.session.commit()
    assert ids.binzhou != ids.dezhou
    return ids


@pytest.fixture
def outside_a_request(app, city_of, two_cities, monkeypatch):
    """An app context only (as a command or job has): (city, its person, the other's person)."""
    # Links in to-do items need a server name when there is no request to take it from.
    monkeypatch.setitem(app.config, "SERVER_NAME", "localhost")

    def enter(code: str) -> tuple:
        other = "binzhou" if code == "dezhou" else "dezhou"
        person = db.session.get(Person, getattr(two_cities, code))
        theirs = db.session.get(Person, getattr(two_cities, other))
        assert person.id_number == theirs.id_number and person.name == theirs.name
        return city_of(code), person, theirs

    with app.app_context():
        assert current_scope() is None  # nothing scopes these queries but the services
        yield enter
        db.session.rollback()


def _cities(rows) -> set[str]:
    return {row.city for row in rows}


def test_card_reads_only_the_given_citys_rows(outside_a_request):
    city, person, theirs = outside_a_request("dezhou")
    held = card.card_of(city, person)
    assert held is not None and held.city == "dezhou"
    records = card.processing_records(city, person, 1)
    assert records.total == EVENTS and _cities(records.items) == {"dezhou"}
    assert card.latest_swipe_month(city, person) == SWIPE_MONTH
    swipes = card.swipes(city, person, SWIPE_MONTH, 1)
    assert swipes.total == SWIPES and _cities(swipes.items) == {"dezhou"}
    assert card.swipe_total(city, person, SWIPE_MONTH) == Decimal("12.30") * SWIPES

    assert card.card_of(city, theirs) is None
    assert card.processing_records(city, theirs, 1).total == 0
    assert card.latest_swipe_month(city, theirs) is None
    assert card.swipes(city, theirs, SWIPE_MONTH, 1).total == 0
    assert card.swipe_total(city, theirs, SWIPE_MONTH) == Decimal("0.00")


def test_card_collection_reads_only_the_given_citys_rows(outside_a_request):
    city, person, theirs = outside_a_request("dezhou")
    application = card_collection.application_of(city, person)
    photo = card_collection.photo_of(city, person)
    assert application.city == "dezhou" and photo.city == "dezhou"
    assert card_collection.form_values(city, person, application)["address"] == "测试路1号"
    assert len(unfinished_collection(city, person)) == 2  # the draft and the rejected photo

    assert card_collection.application_of(city, theirs) is None
    assert card_collection.photo_of(city, theirs) is None
    assert unfinished_collection(city, theirs) == []


def test_the_todo_list_reads_only_the_given_citys_rows(outside_a_request):
    city, person, theirs = outside_a_request("dezhou")
    items = todo.todo_items(city, person)
    assert [item.url for item in items] == [
        "http://localhost/card-collection/info",
        "http://localhost/card-collection/photo",
    ]
    assert todo.todo_items(city, theirs) == []


def test_labour_reads_only_the_given_citys_rows(outside_a_request):
    city, person, theirs = outside_a_request("binzhou")
    filings = labour.filings_page(city, person, 1)
    assert filings.total == FILINGS and _cities(filings.items) == {"binzhou"}
    assert labour.filings_page(city, theirs, 1).total == 0


def test_personal_info_reads_only_the_given_citys_rows(outside_a_request):
    city, person, theirs = outside_a_request("dezhou")
    info = personal_info.basic_info(city, person)
    assert info.first_insured == date(2005, 1, 1)
    recent = personal_info.recent_cases(city, person)
    assert len(recent) == CASES and _cities(recent) == {"dezhou"}
    case = personal_info.find_case(city, person, serial_of(1))
    assert case.city == "dezhou" and len(case.steps) == 4 and _cities(case.steps) == {"dezhou"}

    assert personal_info.basic_info(city, theirs).first_insured is None
    assert personal_info.recent_cases(city, theirs) == []
    assert personal_info.find_case(city, theirs, serial_of(1)) is None


def test_employment_reads_only_the_given_citys_rows(outside_a_request):
    city, _, _ = outside_a_request("binzhou")
    today = local_today()
    assert employment.job_districts(city, today) == ["滨城区"]
    assert employment.seeker_districts(city) == ["滨城区"]
    jobs = employment.search_jobs(city, employment.JobSearch(), today, 1)
    assert jobs.total == POSTINGS and _cities(jobs.items) == {"binzhou"}
    found = employment.search_jobs(city, employment.JobSearch(keyword="岗位1"), today, 1)
    assert [job.reference for job in found.items] == ["ZP000001"]
    seekers = employment.search_seekers(city, employment.SeekerSearch(), today, 1)
    assert seekers.total == SEEKERS and len(seekers.items) == SEEKERS
