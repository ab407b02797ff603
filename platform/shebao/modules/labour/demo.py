"""Demo labour filings: every employee has 1–4 contracts over the years, the current one valid.

Deterministic for the given ``rng``; written with batched Core inserts in the caller's
transaction. The current contract is with the person's own employer; earlier ones are with
other employers of the city and have expired or been terminated.
"""

from __future__ import annotations

import random
import zlib
from datetime import date, timedelta

from ...core.batch import insert_rows
from ...core.time import add_years
from .credit_code import make_credit_code
from .models import LabourFiling
from .vocabulary import ContractType, FilingStatus

#: The demo data's "today": fixed, so the same seed gives the same data on any day.
AS_OF = date(2026, 11, 20)
#: Labour contract filing (劳动用工备案) as recorded here starts with the 2008 contract law.
FIRST_YEAR = 2008


def _filing_date(rng: random.Random, start: date) -> date:
    """Employers file within 30 days of the start of the employment."""
    return min(start + timedelta(days=rng.randint(0, 29)), AS_OF)


def _current(rng: random.Random, earliest: date) -> tuple[date, str, date | None]:
    start = max(AS_OF - timedelta(days=rng.randint(30, 4 * 365)), earliest)
    start = min(start, AS_OF - timedelta(days=30))
    kind = rng.choices(
        (ContractType.FIXED_TERM, ContractType.OPEN_ENDED, ContractType.DISPATCH), (60, 30, 10)
    )[0]
    if kind == ContractType.OPEN_ENDED:
        return start, kind, None
    for years in (3, 5) if kind == ContractType.FIXED_TERM else (2, 3, 5):
        end = add_years(start, years) - timedelta(days=1)
        if end > AS_OF and (years > 2 or rng.random() < 0.5):
            return start, kind, end
    return start, kind, add_years(start, 5) - timedelta(days=1)


def filings_for(rng: random.Random, person: dict, employers: list[str]) -> list[dict]:
    """The filings of one employee, newest first, without ``city``, ``person_id``, credit codes."""
    earliest = date(max(person["birth_date"].year + 20, FIRST_YEAR), 1, 1)
    employer = person["employer"] or rng.choice(employers)
    start, kind, end = _current(rng, earliest)
    rows = [
        {
            "employer": employer,
            "contract_type": kind,
            "start_date": start,
            "end_date": end,
            "filing_date": _filing_date(rng, start),
            "status": FilingStatus.VALID,
        }
    ]
    for _ in range(rng.randint(1, 4) - 1):
        end = rows[-1]["start_date"] - timedelta(days=rng.randint(1, 90))
        start = add_years(end, -rng.choice((1, 2, 3))) + timedelta(days=1)
        if start < earliest:
            break
        previous = [row["employer"] for row in rows[-1:]]
        rows.append(
            {
                "employer": rng.choice([name for name in employers if name not in previous]),
                "contract_type": rng.choices(
                    (ContractType.FIXED_TERM, ContractType.DISPATCH, ContractType.TASK_BASED),
                    (70, 20, 10),
                )[0],
                "start_date": start,
                "end_date": end,
                "filing_date": _filing_date(rng, start),
                "status": rng.choices((FilingStatus.EXPIRED, FilingStatus.TERMINATED), (60, 40))[0],
            }
        )
    return rows


def seed_labour_filings(city, people: list[dict], rng: random.Random) -> None:
    from ...people.demo import EMPLOYERS

    employers = [name.format(city=city.name.removesuffix("市")) for name in EMPLOYERS]
    codes: dict[str, str] = {}

    def credit_code(name: str) -> str:
        if name not in codes:
            codes[name] = make_credit_code(city.config.division_code, zlib.crc32(name.encode()))
        return codes[name]

    rows = [
        dict(row, city=city.code, person_id=person["id"], credit_code=credit_code(row["employer"]))
        for person in people
        if person["category"] == "employee"
        for row in filings_for(rng, person, employers)
    ]
    insert_rows(LabourFiling, rows)
