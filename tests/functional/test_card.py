"""社保卡: card information, loss report (and its cancellation where a city allows it),
processing records and swipe records, per city and per person."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from shebao.audit import AuditEvent
from shebao.core.extensions import db
from shebao.modules.card.models import Card, CardEvent, CardSwipe
from tests.conftest import PASSWORD
from tests.factories_card import amount, card, demo_residents, h1s, tables

# ---------------------------------------------------------------- helpers


def html_of(response) -> str:
    return response.get_data(as_text=True)


def card_for(app, city: str, resident, **values) -> int:
    """A card for an existing resident; returns the card id."""
    from shebao.people.models import Person

    with app.app_context():
        owner = db.session.get(Person, resident.id)
        row = card(city, owner=owner, **values)
        db.session.commit()
        return row.id


def add_swipes(
    app, city: str, person_id: int, moments: list[datetime], amount_of=lambda i: Decimal("10.01")
):
    with app.app_context():
        for index, moment in enumerate(moments):
            db.session.add(
                CardSwipe(
                    city=city,
                    person_id=person_id,
                    swiped_at=moment,
                    place=f"医院{index}",
                    kind="outpatient",
                    amount=amount_of(index),
                )
            )
        db.session.commit()


def card_state(app, person_id: int) -> tuple[str, list[str]]:
    with app.app_context():
        status = db.session.scalar(select(Card.status).where(Card.person_id == person_id))
        kinds = db.session.scalars(
            select(CardEvent.kind).where(CardEvent.person_id == person_id).order_by(CardEvent.id)
        ).all()
        return status, list(kinds)


def audit_events(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.event == name)
        )


@pytest.fixture
def holder(app, binzhou, make_resident):
    """A logged-in Binzhou resident with a normal card."""
    resident = make_resident("binzhou", 5)
    resident.card_id = card_for(app, "binzhou", resident)
    assert binzhou.login(resident.id_number, resident.password).status_code == 302
    return resident


# ---------------------------------------------------------------- each page for a demo resident


def test_binzhou_card_pages_for_a_demo_resident(app, binzhou):
    zhang = demo_residents(app, "binzhou", PASSWORD)["张伟"]
    assert binzhou.login(zhang.id_number, PASSWORD).status_code == 302

    info = binzhou.get("/card/info")
    html = html_of(info)
    assert info.status_code == 200 and info.headers["Cache-Control"] == "no-store"
    assert h1s(html) == ["社保卡基本信息"]
    assert "A00000001" in html and "银行" in html
    assert "正常" in html or "Normal" in html

    page = binzhou.get("/card/report-loss")
    assert page.status_code == 200 and h1s(html_of(page)) == ["社保卡挂失"]
    assert 'name="csrf_token"' in html_of(page)

    records = binzhou.get("/card/records?lang=en")
    html = html_of(records)
    assert h1s(html) == ["Card processing records"]
    table = tables(html)[0]
    assert 4 <= len(table["body"]) <= 6
    assert [cell for cell in table["head"][0]] == ["Date and time", "Business", "Handled by"]
    assert table["body"][-1][1] == "Card application"  # newest first: the application is the oldest
    times = [datetime.strptime(row[0], "%b %d, %Y %H:%M") for row in table["body"]]
    assert times == sorted(times, reverse=True)  # "May 3, 2025 12:44", Babel's English

    swipes = binzhou.get("/card/swipes?lang=en")
    html = html_of(swipes)
    assert h1s(html) == ["Card swipe records"]
    assert 'name="month"' in html and ">Query<" in html


def test_a_demo_resident_has_swipes_over_the_last_eighteen_months(app, binzhou):
    zhang = demo_residents(app, "binzhou", PASSWORD)["张伟"]
    with app.app_context():
        moments = db.session.scalars(
            select(CardSwipe.swiped_at).where(CardSwipe.person_id == zhang.id)
        ).all()
    assert moments
    assert min(moments) >= datetime(2025, 6, 1, tzinfo=UTC) - timedelta(hours=8)
    assert max(moments) < datetime(2026, 11, 20, tzinfo=UTC)
    assert binzhou.login(zhang.id_number, PASSWORD).status_code == 302
    newest = max(moments).astimezone(timezone(timedelta(hours=8)))
    html = html_of(binzhou.get(f"/card/swipes?month={newest:%Y-%m}&lang=en"))
    table = tables(html)[0]
    assert table["caption"] == f"Card swipes in {newest:%b %Y}"
    assert table["foot"][0][1] == "{:,.2f}".format(sum(amount(row[3]) for row in table["body"]))


def test_dezhou_card_information_for_a_demo_resident_and_no_loss_report(app, dezhou):
    zhang = demo_residents(app, "dezhou", PASSWORD)["张伟"]
    assert dezhou.login(zhang.id_number, PASSWORD).status_code == 302
    info = dezhou.get("/card/info")
    html = html_of(info)
    assert info.status_code == 200 and h1s(html) == ["社保卡基本信息"]
    assert "A00000001" in html
    assert "/card/report-loss" not in html  # Dezhou takes no loss reports online
    assert dezhou.get("/card/report-loss").status_code == 404
    assert dezhou.post("/card/report-loss", data={}).status_code in (400, 404)
    assert dezhou.post("/card/report-loss/cancel", data={}).status_code in (400, 404)
    status, kinds = card_state(app, zhang.id)
    assert status == "normal" and "loss_report" not in kinds
    assert dezhou.get("/card/records").status_code == 200
    assert dezhou.get("/card/swipes").status_code == 200


def test_a_resident_without_a_card_is_told_so(app, binzhou, make_resident):
    resident = make_resident("binzhou", 6, card_number=None)
    assert binzhou.login(resident.id_number, resident.password).status_code == 302
    for path in ("/card/info?lang=en", "/card/report-loss"):
        html = html_of(binzhou.get(path))
        assert "You have no social security card on record." in html
        assert '<form method="post"' not in html
    assert "There are no card processing records for you." in html_of(binzhou.get("/card/records"))
    swipes = html_of(binzhou.get("/card/swipes"))
    assert "There are no card swipes in" in swipes and "<table" not in swipes
    refused = binzhou.submit(
        "/card/report-loss", {}, form_page="/account/change-password", follow_redirects=True
    )
    assert "You have no social security card on record." in html_of(refused)


# ---------------------------------------------------------------- loss report


def test_loss_report_blocks_the_card_once_even_when_submitted_twice(app, binzhou, holder):
    page = html_of(binzhou.get("/card/report-loss?lang=en"))
    assert "What a loss report does" in page and 'value="Report loss"' in page
    first = binzhou.submit("/card/report-loss", {"submit": "Report loss"})
    assert first.status_code == 302 and first.headers["Location"].endswith("/card/report-loss")
    # the same form sent again (double click, resent form): harmless, says so
    second = binzhou.submit(
        "/card/report-loss",
        {"submit": "Report loss"},
        form_page="/account/change-password",
        follow_redirects=True,
    )
    html = html_of(second)
    assert "already reported lost" in html and "Nothing was changed" in html

    status, kinds = card_state(app, holder.id)
    assert status == "reported_lost"
    assert kinds == ["loss_report"]
    assert audit_events(app, "card_loss_reported") == 1
    info = html_of(binzhou.get("/card/info"))
    assert "Reported lost" in info and "/card/report-loss/cancel" not in info
    again = html_of(binzhou.get("/card/report-loss"))
    assert 'value="Report loss"' not in again
    # Binzhou does not allow cancelling online: no button, and the endpoint is not there
    assert "Cancel the loss report" not in again
    assert (
        binzhou.submit(
            "/card/report-loss/cancel", {}, form_page="/account/change-password"
        ).status_code
        == 404
    )
    assert card_state(app, holder.id)[0] == "reported_lost"


def test_the_confirmation_names_the_card_and_the_time(app, binzhou, holder):
    binzhou.get("/card/info?lang=en")
    done = binzhou.submit("/card/report-loss", {}, follow_redirects=True)
    html = html_of(done)
    assert "was reported lost at" in html
    assert "****0005" in html  # the card number T00000005, masked
    records = tables(html_of(binzhou.get("/card/records")))[0]["body"]
    assert records[0][1:] == ["Loss reported", "Online service system"]


def test_two_loss_reports_racing_make_one_event(app, binzhou, holder):
    """The conditional UPDATE decides: a second report of a card read as normal changes nothing."""
    from shebao.core.transactions import unit_of_work
    from shebao.modules.card import services

    with app.test_request_context("/", headers={"Host": "binzhou.localhost"}):
        app.preprocess_request()
        from shebao.account.models import Account
        from shebao.people.models import Person

        person = db.session.get(Person, holder.id)
        account = db.session.scalars(select(Account).where(Account.person_id == holder.id)).one()
        city = app.extensions["shebao.cities"].get("binzhou")
        stale = services.card_of(city, person)
        assert stale.status == "normal"
        with unit_of_work():
            first = services.report_loss(city, person, account)
        with unit_of_work():
            second = services.report_loss(city, person, account)
    assert first.changed and not second.changed
    assert card_state(app, holder.id) == ("reported_lost", ["loss_report"])


def test_a_loss_report_whose_unit_of_work_fails_changes_nothing(app, binzhou, holder):
    """The service only writes in the caller's unit of work: when that fails, no trace is left."""
    from shebao.account.models import Account
    from shebao.core.transactions import unit_of_work
    from shebao.modules.card import services
    from shebao.people.models import Person

    with app.test_request_context("/", headers={"Host": "binzhou.localhost"}):
        app.preprocess_request()
        person = db.session.get(Person, holder.id)
        account = db.session.scalars(select(Account).where(Account.person_id == holder.id)).one()
        city = app.extensions["shebao.cities"].get("binzhou")
        with pytest.raises(RuntimeError), unit_of_work():
            assert services.report_loss(city, person, account).changed
            raise RuntimeError("the unit of work fails after the service has run")
    assert card_state(app, holder.id) == ("normal", [])
    assert audit_events(app, "card_loss_reported") == 0


def test_a_card_that_is_not_in_use_cannot_be_reported_lost(app, binzhou, make_resident):
    resident = make_resident("binzhou", 7)
    card_for(app, "binzhou", resident, status="in_production", issued_on=None, valid_until=None)
    assert binzhou.login(resident.id_number, resident.password).status_code == 302
    page = html_of(binzhou.get("/card/report-loss?lang=en"))
    assert "cannot be reported lost online" in page and 'value="Report loss"' not in page
    refused = binzhou.submit(
        "/card/report-loss", {}, form_page="/account/change-password", follow_redirects=True
    )
    assert "cannot be reported lost online" in html_of(refused)
    assert card_state(app, resident.id) == ("in_production", [])
    assert "Not issued yet" in html_of(binzhou.get("/card/info"))


def test_linhu_lets_residents_cancel_their_loss_report(app, linhu, make_resident):
    resident = make_resident("linhu", 8)
    card_for(app, "linhu", resident)
    assert linhu.login(resident.id_number, resident.password).status_code == 302
    linhu.submit("/card/report-loss", {})
    page = html_of(linhu.get("/card/report-loss"))
    assert 'value="Cancel the loss report"' in page and 'action="/card/report-loss/cancel"' in page
    assert 'action="/card/report-loss/cancel"' in html_of(linhu.get("/card/info"))

    cancelled = linhu.submit(
        "/card/report-loss/cancel", {}, form_page="/card/report-loss", follow_redirects=True
    )
    assert "was cancelled at" in html_of(cancelled)
    assert card_state(app, resident.id) == ("normal", ["loss_report", "loss_cancelled"])
    assert audit_events(app, "card_loss_report_cancelled") == 1

    again = linhu.submit(
        "/card/report-loss/cancel", {}, form_page="/card/report-loss", follow_redirects=True
    )
    assert "is not reported lost" in html_of(again)
    assert card_state(app, resident.id) == ("normal", ["loss_report", "loss_cancelled"])
    assert linhu.get("/card/report-loss/cancel").status_code == 405


def test_a_loss_report_without_the_csrf_token_is_refused(app, binzhou, holder):
    assert binzhou.post("/card/report-loss", data={}).status_code == 400
    assert card_state(app, holder.id) == ("normal", [])


# ---------------------------------------------------------------- processing records


def test_processing_records_are_paged_newest_first(app, binzhou, holder):
    start = datetime(2020, 1, 1, 2, tzinfo=UTC)
    with app.app_context():
        for day in range(12):
            db.session.add(
                CardEvent(
                    city="binzhou",
                    card_id=holder.card_id,
                    person_id=holder.id,
                    kind="pin_reset",
                    occurred_at=start + timedelta(days=day),
                    channel="counter",
                    office=f"网点{day}",
                )
            )
        db.session.commit()
    first = tables(html_of(binzhou.get("/card/records?lang=en")))[0]["body"]
    assert len(first) == 10
    assert first[0] == ["Jan 12, 2020 10:00", "Card PIN reset", "网点11"]  # shown in Asia/Shanghai
    page = html_of(binzhou.get("/card/records"))
    assert 'href="?page=2"' in page and "Next page" in page
    second = html_of(binzhou.get("/card/records?page=2"))
    assert [row[2] for row in tables(second)[0]["body"]] == ["网点1", "网点0"]
    assert "Previous page" in second and "Next page" not in second
    for bad in ("3", "0", "-1", "abc", "1" * 40):
        html = html_of(binzhou.get(f"/card/records?page={bad}"))
        assert 'role="alert"' in html and "<table" not in html


# ---------------------------------------------------------------- swipe records


def test_swipes_of_a_month_are_paged_with_the_whole_months_total(app, binzhou, holder):
    may = datetime(2025, 5, 1, 1, tzinfo=UTC)
    add_swipes(
        app,
        "binzhou",
        holder.id,
        [may + timedelta(hours=5 * i) for i in range(23)],
        amount_of=lambda i: Decimal("0.10") + i,
    )
    html = html_of(binzhou.get("/card/swipes?month=2025-05&lang=en"))
    table = tables(html)[0]
    assert len(table["body"]) == 10
    assert table["head"][0] == ["Time", "Place", "Type", "Amount (yuan)"]
    assert table["body"][0] == ["May 1, 2025 09:00", "医院0", "Outpatient visit", "0.10"]
    expected = sum((Decimal("0.10") + i for i in range(23)), Decimal("0"))
    assert table["foot"][0] == ["Total for May 2025 (number of swipes: 23)", f"{expected:,.2f}"]
    assert "month=2025-05&amp;page=2" in html and "Next page" in html
    last = html_of(binzhou.get("/card/swipes?month=2025-05&page=3"))
    assert len(tables(last)[0]["body"]) == 3 and "Next page" not in last and "Previous page" in last
    past_end = html_of(binzhou.get("/card/swipes?month=2025-05&page=4"))
    assert "There is no page 4; the last page is 3." in past_end and "<table" not in past_end


def test_swipes_are_counted_in_the_local_month(app, binzhou, holder):
    # 2025-05-31 17:30 UTC is 2025-06-01 01:30 in Asia/Shanghai
    add_swipes(app, "binzhou", holder.id, [datetime(2025, 5, 31, 17, 30, tzinfo=UTC)])
    may = html_of(binzhou.get("/card/swipes?month=2025-05&lang=en"))
    assert "There are no card swipes in May 2025." in may
    june = tables(html_of(binzhou.get("/card/swipes?month=202506")))[0]
    assert june["body"][0][0] == "Jun 1, 2025 01:30"  # still English


def test_the_swipes_page_opens_on_the_newest_month(app, binzhou, holder):
    add_swipes(
        app,
        "binzhou",
        holder.id,
        [datetime(2024, 2, 10, 3, tzinfo=UTC), datetime(2025, 3, 10, 3, tzinfo=UTC)],
    )
    html = html_of(binzhou.get("/card/swipes?lang=en"))
    assert 'value="2025-03"' in html and tables(html)[0]["caption"] == "Card swipes in Mar 2025"


@pytest.mark.parametrize(
    "month",
    [
        "2025-13",
        "2025-00",
        "abc",
        "2025/05",
        "1" * 10000,
        "2024-05' OR '1'='1",
        "<script>alert(1)</script>",
        "1899-12",
        "２０２５-０５",
    ],
)
def test_a_bad_month_gets_a_message_not_an_error(app, binzhou, holder, month):
    add_swipes(app, "binzhou", holder.id, [datetime(2025, 5, 6, 3, tzinfo=UTC)])
    page = binzhou.get("/card/swipes", query_string={"month": month, "lang": "en"})
    html = html_of(page)
    assert page.status_code == 200
    assert "Enter the month as year-month, for example 2024-05." in html
    assert "<table" not in html and "<script>alert" not in html


def test_a_month_without_swipes_says_so(app, binzhou, holder):
    html = html_of(binzhou.get("/card/swipes?month=2031-01&lang=en"))
    assert "There are no card swipes in Jan 2031." in html and "<table" not in html


# ---------------------------------------------------------------- city and person scoping


def test_another_persons_card_is_never_shown(app, binzhou, make_resident):
    other = make_resident("binzhou", 9)
    card_for(app, "binzhou", other, card_number="OTHER0009", bank="其他银行")
    add_swipes(app, "binzhou", other.id, [datetime(2025, 5, 6, 3, tzinfo=UTC)])
    me = make_resident("binzhou", 10)
    assert binzhou.login(me.id_number, me.password).status_code == 302
    for path in ("/card/info", "/card/report-loss", "/card/records", "/card/swipes?month=2025-05"):
        html = html_of(binzhou.get(path))
        assert "OTHER0009" not in html and "其他银行" not in html and "医院0" not in html
    binzhou.submit("/card/report-loss", {}, form_page="/account/change-password")
    assert card_state(app, other.id) == ("normal", [])


def test_a_binzhou_card_is_not_shown_in_dezhou(app, binzhou, dezhou, make_resident):
    # the same ID number in both cities: a person of each city
    mine = make_resident("binzhou", 11)
    card_for(app, "binzhou", mine, card_number="BZ0000011")
    add_swipes(app, "binzhou", mine.id, [datetime(2025, 5, 6, 3, tzinfo=UTC)])
    twin = make_resident("dezhou", 11)
    assert twin.id_number == mine.id_number
    with app.app_context():
        db.session.add(
            CardEvent(
                city="binzhou",
                card_id=db.session.scalar(select(Card.id)),
                person_id=mine.id,
                kind="issue",
                occurred_at=datetime(2024, 1, 1, tzinfo=UTC),
                channel="counter",
                office="滨州网点",
            )
        )
        db.session.commit()
    assert dezhou.login(twin.id_number, twin.password).status_code == 302
    for path in ("/card/info", "/card/records", "/card/swipes?month=2025-05"):
        html = html_of(dezhou.get(path))
        assert "BZ0000011" not in html and "滨州网点" not in html and "医院0" not in html
    assert "社保卡" in html_of(dezhou.get("/card/info"))


# ---------------------------------------------------------------- demo data


def test_demo_cards_follow_the_persons_card_numbers(app):
    residents = demo_residents(app, "binzhou", PASSWORD, modules=("card",))
    with app.app_context():
        cards = dict(db.session.execute(select(Card.person_id, Card.card_number)).all())
        events = dict(
            db.session.execute(
                select(CardEvent.person_id, func.count()).group_by(CardEvent.person_id)
            ).all()
        )
        amounts = db.session.scalars(select(CardSwipe.amount)).all()
    holders = {r.id: r.card_number for r in residents.values() if r.card_number}
    assert cards == holders  # 赵敏 has no card number, and so no card
    assert all(4 <= events[person_id] <= 6 for person_id in holders)
    assert amounts and all(
        value == value.quantize(Decimal("0.01")) and value > 0 for value in amounts
    )


def test_demo_cards_are_the_same_for_the_same_seed(app):
    def snapshot():
        with app.app_context():
            return (
                db.session.execute(
                    select(Card.card_number, Card.bank, Card.status, Card.issued_on).order_by(
                        Card.card_number
                    )
                ).all(),
                db.session.execute(
                    select(CardSwipe.swiped_at, CardSwipe.place, CardSwipe.amount).order_by(
                        CardSwipe.swiped_at, CardSwipe.place
                    )
                ).all(),
            )

    demo_residents(app, "binzhou", PASSWORD, modules=("card",))
    first = snapshot()
    with app.app_context():
        from shebao.people.models import Person

        db.session.execute(Person.__table__.delete())
        db.session.commit()
    demo_residents(app, "binzhou", PASSWORD, modules=("card",))
    assert snapshot() == first
