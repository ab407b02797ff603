"""Factories for public employment's city-owned models (used by the isolation test and ours)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from shebao.core.extensions import db
from shebao.core.time import local_today
from shebao.modules.employment.models import JobPosting, JobSeeker


def _add(row):
    db.session.add(row)
    db.session.flush()
    return row


def job_posting(city: str, seq: int = 1, **values) -> JobPosting:
    today = local_today()
    row = {
        "city": city,
        "reference": f"ZP{seq:06d}",
        "employer": f"测试单位{seq}",
        "title": f"岗位{seq}",
        "occupation": "manufacturing",
        "district": "滨城区",
        "education": "any",
        "salary_min": Decimal("4000.00"),
        "salary_max": Decimal("6000.00"),
        "headcount": 2,
        "description": "负责生产操作。",
        "contact_phone": "0543-3161234",
        "published_on": today - timedelta(days=seq % 30),
        "valid_until": today + timedelta(days=30),
    }
    row.update(values)
    return _add(JobPosting(**row))


def job_seeker(city: str, seq: int = 1, **values) -> JobSeeker:
    row = {
        "city": city,
        "reference": f"QZ{seq:06d}",
        "name": f"求职者{seq}",
        "sex": "M" if seq % 2 else "F",
        "birth_year": 1990,
        "desired_occupation": "manufacturing",
        "district": "滨城区",
        "education": "senior_high",
        "expected_salary": Decimal("5000.00"),
        "phone": f"1390000{seq:04d}",
        "registered_on": date(2026, 1, 1) + timedelta(days=seq % 300),
    }
    row.update(values)
    return _add(JobSeeker(**row))


FACTORIES: dict = {JobPosting: job_posting, JobSeeker: job_seeker}
