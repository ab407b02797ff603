"""Months, days, instants and amounts on pages are written by Babel in the page's language:
``2026年5月`` / ``May 2026``, ``2026年5月1日`` / ``May 1, 2026``, ``12,345.60`` in both (the
column or sentence says 元 / yuan). PDFs keep their own fixed formats."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from shebao.core.money import format_money
from shebao.core.time import format_day, format_moment, format_month

CASES = {
    "zh_CN": ("2026年5月", "2026年5月1日", "2026年5月1日 09:30", "12,345.60"),
    "en": ("May 2026", "May 1, 2026", "May 1, 2026 09:30", "12,345.60"),
}


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_babel_writes_each_kind_in_the_pages_language(app, lang):
    month, day, moment, money = CASES[lang]
    with app.test_request_context(f"/?lang={lang}", headers={"Host": "binzhou.localhost"}):
        app.preprocess_request()
        assert format_month(date(2026, 5, 1)) == month
        assert format_day(date(2026, 5, 1)) == day
        # Stored in UTC, shown in China's time (UTC+8): 01:30 UTC is 09:30.
        assert format_moment(datetime(2026, 5, 1, 1, 30, tzinfo=UTC)) == moment
        assert format_day(datetime(2026, 4, 30, 17, 0, tzinfo=UTC)) == day  # 5 May 01:00 in China
        assert format_money(Decimal("12345.6")) == money
        assert format_month(None) == format_day(None) == format_moment(None) == ""


@pytest.mark.parametrize(
    ("lang", "months"),
    [("zh_CN", ["2026年3月", "2026年4月"]), ("en", ["Mar 2026", "Apr 2026"])],
)
def test_pages_show_months_in_the_chosen_language(
    binzhou, make_resident, app, city_of, lang, months
):
    from shebao.core.extensions import db
    from tests.factories_contributions import record_months

    resident = make_resident("binzhou", 61, category="employee")
    with app.app_context():
        record_months(city_of("binzhou"), resident.id, "pension", 2026, months=(3, 4))
        db.session.commit()
    binzhou.login(resident.id_number, resident.password)
    page = binzhou.get(f"/contributions/pension?year=2026&lang={lang}").get_data(as_text=True)
    for month in months:
        assert month in page
    assert "2026-03" not in page and "2026-04" not in page
