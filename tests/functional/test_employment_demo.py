"""Demo postings and seekers: deterministic, realistic, some expired, never duplicated."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import func, select

from shebao.core.extensions import db
from shebao.modules.employment.demo import DISTRICTS, POSTINGS, SEEKERS, demo_rows, seed_demo
from shebao.modules.employment.models import JobPosting, JobSeeker
from shebao.modules.employment.vocabulary import EDUCATION_LABELS, OCCUPATION_LABELS
from tests.factories_employment import job_posting

TODAY = date(2026, 11, 25)


def city(app, code: str):
    return app.extensions["shebao.cities"].get(code)


def counts(app) -> dict[tuple[str, str], int]:
    with app.app_context():
        result = {}
        for model in (JobPosting, JobSeeker):
            for code, n in db.session.execute(
                select(model.city, func.count()).group_by(model.city)
            ):
                result[(model.__tablename__, code)] = n
        return result


def test_the_same_seed_and_day_give_the_same_rows(app):
    binzhou = city(app, "binzhou")
    assert demo_rows(binzhou, random.Random("1"), TODAY) == demo_rows(
        binzhou, random.Random("1"), TODAY
    )
    assert demo_rows(binzhou, random.Random("1"), TODAY) != demo_rows(
        binzhou, random.Random("2"), TODAY
    )


def test_demo_rows_are_realistic_and_some_have_expired(app):
    postings, seekers = demo_rows(city(app, "binzhou"), random.Random("1"), TODAY)
    assert len(postings) == POSTINGS and len(seekers) == SEEKERS
    assert {row["district"] for row in postings} <= set(DISTRICTS["371600"])
    assert {row["district"] for row in seekers} <= set(DISTRICTS["371600"])
    assert len({row["reference"] for row in postings}) == POSTINGS
    assert len({row["reference"] for row in seekers}) == SEEKERS
    expired = [row for row in postings if row["valid_until"] < TODAY]
    assert 0 < len(expired) < POSTINGS / 2
    for row in postings:
        assert row["occupation"] in OCCUPATION_LABELS and row["education"] in EDUCATION_LABELS
        assert row["salary_min"] < row["salary_max"] and row["salary_min"].as_tuple().exponent == -2
        assert row["employer"].startswith("滨州") or "滨州" in row["employer"]
        assert row["published_on"] <= TODAY and row["city"] == "binzhou"
    for row in seekers:
        assert row["education"] != "any" and len(row["phone"]) == 11
        assert 18 <= TODAY.year - row["birth_year"] <= 58


def test_seeding_replaces_the_citys_rows_and_leaves_other_cities_alone(app):
    with app.app_context():
        job_posting("dezhou", 1)
        job_posting("binzhou", 2, reference="OLD")
        db.session.commit()
        seed_demo(city(app, "binzhou"), [], random.Random("1"))
        db.session.commit()
        seed_demo(city(app, "binzhou"), [], random.Random("1"))
        db.session.commit()
        assert db.session.scalar(select(func.count()).where(JobPosting.reference == "OLD")) == 0
    assert counts(app) == {
        ("job_posting", "binzhou"): POSTINGS,
        ("job_seeker", "binzhou"): SEEKERS,
        ("job_posting", "dezhou"): 1,
    }


def test_seed_demo_fills_the_pages(app, binzhou):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--persons", "5", "--city", "binzhou"])
    assert result.exit_code == 0, result.output
    assert counts(app)[("job_posting", "binzhou")] == POSTINGS
    html = binzhou.get("/employment/jobs").get_data(as_text=True)
    assert 'rel="next"' in html and "滨城区" in html
    html = binzhou.get("/employment/seekers").get_data(as_text=True)
    assert "****" in html and 'rel="next"' in html
