"""``shebao import --kind benefits``: benefit payments from CSV, one row per payment item,
all-or-nothing per file.

Format (UTF-8 with or without BOM, comma-separated, header row, any column order), every
column required: ``id_number`` (a person already in the city), ``benefit_type`` (pension,
unemployment, work_injury, maternity, medical), ``period`` (the month the payment is for,
YYYY-MM), ``paid_on`` (YYYY-MM-DD), ``item`` (e.g. 基本养老金), ``amount`` (yuan, at most two
decimals, not negative).

Rows with the same (id_number, benefit_type, period) are the items of one payment; they must
agree on ``paid_on`` and name each item once. The payment's total is the sum of its items.
Every row is checked before anything is written; any bad row stops the whole file, and each
problem is reported with its line number. A payment already in the city is replaced (its
date and items), never duplicated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import delete, insert, select, tuple_, update

from ...core.csvfiles import read_csv_rows
from ...core.extensions import db
from ...people.idnumber import InvalidIdNumber, normalise_id_number
from ...people.importer import ImportError_, ImportResult
from ...people.models import Person
from .models import BenefitItem, BenefitPayment
from .vocabulary import BENEFIT_TYPES

COLUMNS = ("id_number", "benefit_type", "period", "paid_on", "item", "amount")
PERIOD = re.compile(r"^([0-9]{4})-([0-9]{2})$")
AMOUNT = re.compile(r"^[0-9]{1,10}(\.[0-9]{1,2})?$")
BATCH = 1000


@dataclass
class _Payment:
    line: int
    id_number: str
    benefit_type: str
    period: date
    paid_on: date
    items: list[tuple[str, Decimal]] = field(default_factory=list)
    item_lines: dict[str, int] = field(default_factory=dict)


def _read(path: Path) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    return read_csv_rows(path, COLUMNS)


def parse_item_row(row: dict[str, str]) -> tuple[tuple[str, str, date], date, str, Decimal]:
    """One CSV row → (payment key, paid_on, item, amount); raise ValueError naming the field."""
    try:
        id_number = normalise_id_number(row["id_number"])
    except InvalidIdNumber as error:
        raise ValueError(f"id_number: {error}") from None
    benefit_type = row["benefit_type"]
    if benefit_type not in BENEFIT_TYPES:
        raise ValueError(f"benefit_type: must be one of {', '.join(BENEFIT_TYPES)}")
    match = PERIOD.match(row["period"])
    if not match or not 1 <= int(match.group(2)) <= 12 or not 1990 <= int(match.group(1)) <= 2100:
        raise ValueError(f"period: {row['period']!r} is not a month in the form YYYY-MM")
    period = date(int(match.group(1)), int(match.group(2)), 1)
    try:
        paid_on = date.fromisoformat(row["paid_on"])
    except ValueError:
        raise ValueError(
            f"paid_on: {row['paid_on']!r} is not a date in the form YYYY-MM-DD"
        ) from None
    item = row["item"]
    if not 1 <= len(item) <= 64:
        raise ValueError("item: must be 1 to 64 characters")
    if not AMOUNT.match(row["amount"]):
        raise ValueError(
            f"amount: {row['amount']!r} is not an amount in yuan with at most two decimals"
        )
    try:
        amount = Decimal(row["amount"]).quantize(Decimal("0.01"))
    except InvalidOperation:  # pragma: no cover - the pattern already refused it
        raise ValueError(f"amount: {row['amount']!r} is not an amount") from None
    return (id_number, benefit_type, period), paid_on, item, amount


def import_benefits(city, path: Path) -> ImportResult:
    rows, problems = _read(path)
    payments: dict[tuple[str, str, date], _Payment] = {}
    for line, row in rows:
        try:
            key, paid_on, item, amount = parse_item_row(row)
        except ValueError as error:
            problems.append(f"{line}: {error}")
            continue
        payment = payments.setdefault(key, _Payment(line, *key, paid_on=paid_on))
        if payment.paid_on != paid_on:
            problems.append(
                f"{line}: paid_on: differs from line {payment.line} of the same payment"
            )
        elif item in payment.item_lines:
            problems.append(
                f"{line}: item: already given on line {payment.item_lines[item]} "
                "for the same payment"
            )
        else:
            payment.item_lines[item] = line
            payment.items.append((item, amount))
    persons = _persons(city.code, sorted({payment.id_number for payment in payments.values()}))
    for payment in payments.values():
        if payment.id_number not in persons:
            problems.append(
                f"{payment.line}: id_number: no insured person with this ID number in {city.code}"
            )
    if problems:
        raise ImportError_(sorted(set(problems), key=lambda problem: int(problem.split(":", 1)[0])))
    if not payments:
        raise ImportError_(["2: the file holds no rows"])
    return _write(city.code, list(payments.values()), persons)


def _persons(city: str, numbers: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(numbers), BATCH):
        found.update(
            db.session.execute(
                select(Person.id_number, Person.id).where(
                    Person.city == city, Person.id_number.in_(numbers[start : start + BATCH])
                )
            ).all()
        )
    return found


def _write(city: str, payments: list[_Payment], persons: dict[str, int]) -> ImportResult:
    session = db.session
    inserted = updated = 0
    try:
        for start in range(0, len(payments), BATCH):
            batch = payments[start : start + BATCH]
            keys = [(persons[p.id_number], p.benefit_type, p.period) for p in batch]
            existing = {
                (person_id, benefit_type, period): payment_id
                for payment_id, person_id, benefit_type, period in session.execute(
                    select(
                        BenefitPayment.id,
                        BenefitPayment.person_id,
                        BenefitPayment.benefit_type,
                        BenefitPayment.period,
                    ).where(
                        BenefitPayment.city == city,
                        tuple_(
                            BenefitPayment.person_id,
                            BenefitPayment.benefit_type,
                            BenefitPayment.period,
                        ).in_(keys),
                    )
                ).all()
            }
            rows = [
                {
                    "person_id": key[0],
                    "benefit_type": key[1],
                    "period": key[2],
                    "paid_on": p.paid_on,
                    "total": sum((amount for _, amount in p.items), Decimal("0.00")),
                }
                for key, p in zip(keys, batch, strict=True)
            ]
            new = [
                (row, p)
                for row, p, key in zip(rows, batch, keys, strict=True)
                if key not in existing
            ]
            changed = [
                (dict(row, id=existing[key]), p)
                for row, p, key in zip(rows, batch, keys, strict=True)
                if key in existing
            ]
            ids: list[int] = []
            if new:
                ids = session.scalars(
                    insert(BenefitPayment).returning(
                        BenefitPayment.id, sort_by_parameter_order=True
                    ),
                    [dict(row, city=city) for row, _ in new],
                ).all()
            if changed:
                session.execute(update(BenefitPayment), [row for row, _ in changed])
                session.execute(
                    delete(BenefitItem).where(
                        BenefitItem.payment_id.in_([row["id"] for row, _ in changed])
                    )
                )
            owners = [
                *zip(ids, (p for _, p in new), strict=True),
                *((row["id"], p) for row, p in changed),
            ]
            items = [
                {
                    "city": city,
                    "payment_id": payment_id,
                    "position": position,
                    "name": name,
                    "amount": amount,
                }
                for payment_id, p in owners
                for position, (name, amount) in enumerate(p.items, start=1)
            ]
            session.execute(insert(BenefitItem), items)
            inserted += len(new)
            updated += len(changed)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return ImportResult(inserted=inserted, updated=updated)
