"""The four certificates: their content from the records, and issuing one as a PDF.

A certificate is built from the conditions chosen (``args``: the query string on screen, the
form when printing) into a ``Certificate``: the facts, tables and totals shown on screen and
printed. Issuing records an ``IssuedCertificate`` (with a frozen copy of the content) and
renders the PDF with the same content, a serial number and a verification code.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...core.extensions import db
from ...core.i18n import label_text
from ...core.money import format_money as money
from ...core.time import LOCAL_ZONE as CHINA
from ...core.time import utcnow
from ...documents.pdf import Column, Document, Labels, Table, render_pdf
from ...people.idnumber import mask_id_number, mask_name
from ...people.insurance import InsuranceType, InsuredStatus
from ...people.models import Person, PersonInsurance
from ...web.queries import QueryError, parse_year
from ..benefits import services as benefits
from ..contributions import services as contributions
from ..pension_account import services as pension_account
from .models import IssuedCertificate

ZERO = Decimal("0.00")
#: Verification codes: secrets.token_urlsafe(24), 192 bits, 32 characters.
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")

#: What the totals of a certificate are called (on screen, in the PDF, on the verify page).
TOTAL_LABELS = {
    "months_paid": _l("Months paid (all insurance types, all years)"),
    "year_individual": _l("Individual contributions in the year (yuan)"),
    "year_employer": _l("Employer contributions in the year (yuan)"),
    "pension_total": _l("Pension received in the period (yuan)"),
    "months_received": _l("Months of pension received"),
    "account_balance": _l("Pension personal account balance at the end of the period (yuan)"),
    "credited": _l("Credited to the account in the period (yuan)"),
    "interest": _l("Interest in the period (yuan)"),
}


class NothingToCertify(Exception):
    """The person has no records for this certificate (or the period): say so, print nothing."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotAvailable(NothingToCertify):
    """This certificate is not for this person (a pension certificate for a non-retiree)."""


@dataclass
class Certificate:
    kind: str
    parameters: dict
    period: str
    facts: list[tuple[str, str]]
    tables: list[Table]
    totals: list[tuple[str, str]]
    #: The query controls: name → (choices, selected), for the page's forms.
    choices: dict[str, tuple[list[int], int]] = field(default_factory=dict)


def _fmt(value: Decimal) -> str:
    return money(value)


def _month(value: date) -> str:
    return value.strftime("%Y-%m")


def _person_facts(person: Person) -> list[tuple[str, str]]:
    return [(_("Name"), person.name), (_("ID number"), mask_id_number(person.id_number))]


def _contribution_types(person: Person) -> dict[InsuranceType, list[int]]:
    found = {}
    for insurance_type in InsuranceType:
        years = contributions.insured_years(person, insurance_type)
        if years:
            found[insurance_type] = years
    return found


def _status_label(person: Person, insurance_type: str) -> str:
    status = db.session.scalar(
        select(PersonInsurance.status).where(
            PersonInsurance.person_id == person.id,
            PersonInsurance.insurance_type == str(insurance_type),
        )
    )
    if status is None:
        return "—"
    try:
        return str(InsuredStatus(status).label)
    except ValueError:
        return status


def _contribution_certificate(city, person: Person, args: Mapping) -> Certificate:
    by_type = _contribution_types(person)
    years = sorted({year for found in by_type.values() for year in found})
    if not years:
        raise NothingToCertify(
            _("There are no contributions on record for you, so there is nothing to certify.")
        )
    year = parse_year(args.get("year"), years, default=years[-1])
    summary_rows = []
    months_paid = 0
    for insurance_type, type_years in by_type.items():
        first = contributions.contributions_in_year(person, insurance_type, type_years[0])
        last = contributions.contributions_in_year(person, insurance_type, type_years[-1])
        paid = contributions.all_years(contributions.yearly_summary(person, insurance_type))
        months_paid += paid.months_paid
        summary_rows.append(
            (
                str(insurance_type.label),
                _month(first[0].period),
                str(paid.months_paid),
                f"{_month(first[0].period)} – {_month(last[-1].period)}",
                _status_label(person, insurance_type),
            )
        )
    month_rows = []
    year_rows = []
    for insurance_type in by_type:
        rows = contributions.contributions_in_year(person, insurance_type, year)
        year_rows.extend(rows)
        for row in rows:
            month_rows.append(
                (
                    _month(row.period),
                    str(insurance_type.label),
                    _fmt(row.base),
                    _fmt(row.individual),
                    _fmt(row.employer),
                    row.status_label,
                )
            )
    month_rows.sort(key=lambda row: row[0])
    totals = contributions.totals_of(year_rows)
    if not month_rows:
        raise NothingToCertify(_("There are no contributions on record for %(year)s.", year=year))
    return Certificate(
        kind="contribution_certificate",
        parameters={"year": year},
        period=str(year),
        facts=_person_facts(person),
        tables=[
            Table(
                caption=_("Insurance types"),
                columns=(
                    Column(_("Insurance type"), 2.2),
                    Column(_("First insured month"), 1.3),
                    Column(_("Months paid"), 1, number=True),
                    Column(_("Period covered"), 2),
                    Column(_("Current status"), 1.5),
                ),
                rows=tuple(summary_rows),
            ),
            Table(
                caption=_("Contributions month by month in %(year)s", year=year),
                columns=(
                    Column(_("Month"), 1),
                    Column(_("Insurance type"), 2.2),
                    Column(_("Contribution base (yuan)"), 1.4, number=True),
                    Column(_("Individual part (yuan)"), 1.4, number=True),
                    Column(_("Employer part (yuan)"), 1.4, number=True),
                    Column(_("Status"), 1),
                ),
                rows=tuple(month_rows),
                footer=(
                    _("Total paid"),
                    "",
                    "",
                    _fmt(totals.individual),
                    _fmt(totals.employer),
                    "",
                ),
            ),
        ],
        totals=[
            ("months_paid", str(months_paid)),
            ("year_individual", _fmt(totals.individual)),
            ("year_employer", _fmt(totals.employer)),
        ],
        choices={"year": (years, year)},
    )


def _pension_income(city, person: Person, args: Mapping) -> Certificate:
    if person.category != "retiree":
        raise NotAvailable(
            _(
                "The pension income certificate is for retirees who receive a pension; "
                "your record does not show you as retired."
            )
        )
    years = sorted(benefits.payment_years(person, "pension"))
    if not years:
        raise NothingToCertify(_("You have no retirement pension payments on record."))
    year = parse_year(args.get("year"), years, default=years[-1])
    page = benefits.payments(person, "pension", year, None, 1, per_page=12)
    total = benefits.period_total(person, "pension", year, None)
    rows = tuple(
        (_month(payment.period), payment.paid_on.isoformat(), _fmt(payment.total))
        for payment in page.items
    )
    if not rows:
        raise NothingToCertify(_("No pension was paid to you in %(year)s.", year=year))
    return Certificate(
        kind="pension_income",
        parameters={"year": year},
        period=str(year),
        facts=_person_facts(person),
        tables=[
            Table(
                caption=_("Monthly pension in %(year)s", year=year),
                columns=(
                    Column(_("Month"), 1),
                    Column(_("Paid on"), 1),
                    Column(_("Amount (yuan)"), 1, number=True),
                ),
                rows=rows,
                footer=(_("Total"), "", _fmt(total)),
            )
        ],
        totals=[("months_received", str(len(rows))), ("pension_total", _fmt(total))],
        choices={"year": (years, year)},
    )


def _rights_record(city, person: Person, args: Mapping) -> Certificate:
    by_type = _contribution_types(person)
    years = sorted({year for found in by_type.values() for year in found})
    if not years:
        raise NothingToCertify(
            _("There are no contributions on record for you, so there is no rights record.")
        )
    year = parse_year(args.get("year"), years, default=years[-1])
    rows = []
    individual = employer = ZERO
    for insurance_type in by_type:
        totals = contributions.totals_of(
            contributions.contributions_in_year(person, insurance_type, year)
        )
        if not totals.months_paid and not totals.months_in_arrears:
            continue
        individual += totals.individual
        employer += totals.employer
        rows.append(
            (
                str(insurance_type.label),
                _fmt(totals.average_base),
                str(totals.months_paid),
                _fmt(totals.individual),
                _fmt(totals.employer),
            )
        )
    if not rows:
        raise NothingToCertify(_("There are no contributions on record for %(year)s.", year=year))
    statement = [
        line for line in pension_account.account_statement(city, person) if line.year <= year
    ]
    balance = statement[-1].closing_balance if statement else ZERO
    return Certificate(
        kind="rights_record",
        parameters={"year": year},
        period=str(year),
        facts=_person_facts(person),
        tables=[
            Table(
                caption=_("Statement of %(year)s by insurance type", year=year),
                columns=(
                    Column(_("Insurance type"), 2.2),
                    Column(_("Average monthly base (yuan)"), 1.5, number=True),
                    Column(_("Months paid"), 1, number=True),
                    Column(_("Individual part (yuan)"), 1.4, number=True),
                    Column(_("Employer part (yuan)"), 1.4, number=True),
                ),
                rows=tuple(rows),
                footer=(_("Total"), "", "", _fmt(individual), _fmt(employer)),
            ),
            _(
                "Pension personal account balance at the end of %(year)s: %(balance)s yuan",
                year=year,
                balance=_fmt(balance),
            ),
        ],
        totals=[
            ("year_individual", _fmt(individual)),
            ("year_employer", _fmt(employer)),
            ("account_balance", _fmt(balance)),
        ],
        choices={"year": (years, year)},
    )


def _account_statement(city, person: Person, args: Mapping) -> Certificate:
    lines = pension_account.account_statement(city, person)
    if not lines:
        raise NothingToCertify(
            _(
                "There are no employee pension contributions on record for you, so your "
                "pension personal account has no entries."
            )
        )
    years = [line.year for line in lines]
    first = parse_year(args.get("from"), years, default=years[0])
    last = parse_year(args.get("to"), years, default=years[-1])
    if first > last:
        raise QueryError(_("The first year must not be after the last year."))
    chosen = [line for line in lines if first <= line.year <= last]
    totals = pension_account.statement_totals(chosen)
    rows = tuple(
        (
            str(line.year),
            str(line.months_paid),
            _fmt(line.average_base),
            _fmt(line.credited),
            f"{line.rate_percent}%",
            _fmt(line.interest),
            _fmt(line.closing_balance),
        )
        for line in chosen
    )
    return Certificate(
        kind="account_statement",
        parameters={"from": first, "to": last},
        period=f"{first} – {last}",
        facts=_person_facts(person),
        tables=[
            Table(
                caption=_("Pension personal account by year"),
                columns=(
                    Column(_("Year"), 0.8),
                    Column(_("Months paid"), 0.9, number=True),
                    Column(_("Average monthly base (yuan)"), 1.4, number=True),
                    Column(_("Credited to the account (yuan)"), 1.4, number=True),
                    Column(_("Interest rate"), 0.9, number=True),
                    Column(_("Interest (yuan)"), 1.1, number=True),
                    Column(_("Year-end balance (yuan)"), 1.4, number=True),
                ),
                rows=rows,
                footer=(
                    _("Total"),
                    str(totals.months_paid),
                    "",
                    _fmt(totals.credited),
                    "",
                    _fmt(totals.interest),
                    _fmt(totals.balance),
                ),
            )
        ],
        totals=[
            ("credited", _fmt(totals.credited)),
            ("interest", _fmt(totals.interest)),
            ("account_balance", _fmt(totals.balance)),
        ],
        choices={"from": (years, first), "to": (years, last)},
    )


BUILDERS = {
    "contribution_certificate": _contribution_certificate,
    "pension_income": _pension_income,
    "rights_record": _rights_record,
    "account_statement": _account_statement,
}


def build(city, person: Person, kind: str, args: Mapping) -> Certificate:
    """The certificate's content; raises ``QueryError`` (bad conditions) or
    ``NothingToCertify`` (no records / not for this person)."""
    return BUILDERS[kind](city, person, args)


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def content_hash(kind: str, serial: str, issued_at: datetime, content: dict) -> str:
    canonical = json.dumps(
        {"kind": kind, "serial": serial, "issued_at": issued_at.isoformat(), "content": content},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _frozen(person: Person, certificate: Certificate) -> dict:
    return {
        "name": person.name,
        "id_number": person.id_number,
        "period": certificate.period,
        "totals": [list(pair) for pair in certificate.totals],
    }


@dataclass(frozen=True)
class Issued:
    record: IssuedCertificate
    code: str
    pdf: bytes


def issue(city, person: Person, certificate: Certificate, title: str, host: str) -> Issued:
    """Record the certificate and render its PDF (the caller commits)."""
    issued_at = utcnow().replace(microsecond=0)
    local = issued_at.astimezone(CHINA)
    serial = f"{city.code[:2].upper()}{local:%Y%m%d}{secrets.token_hex(5).upper()}"
    code = secrets.token_urlsafe(24)
    content = _frozen(person, certificate)
    record = IssuedCertificate(
        city=city.code,
        person_id=person.id,
        kind=certificate.kind,
        parameters=certificate.parameters,
        serial=serial,
        code_hash=hash_code(code),
        content=content,
        content_hash=content_hash(certificate.kind, serial, issued_at, content),
        issued_at=issued_at,
    )
    db.session.add(record)
    db.session.flush()
    office = label_text(city.options("printing").issuing_office)
    totals = [f"{TOTAL_LABELS[key]}: {value}" for key, value in certificate.totals]
    document = Document(
        title=title,
        issuer=office,
        serial=serial,
        code=code,
        verify_url=f"https://{host}/verify/{code}",
        issued_on=local.date().isoformat(),
        facts=(
            *certificate.facts,
            (_("Period"), certificate.period),
            (_("Date of issue"), local.date().isoformat()),
        ),
        sections=(*certificate.tables, *totals),
        labels=Labels(
            serial=_("Serial number"),
            page=_("Page {page} of {pages}"),
            code=_("Verification code"),
            verify=_("Check this document at"),
            issued_on=_("Date of issue"),
            issuer=_("Issued by"),
        ),
    )
    return Issued(record=record, code=code, pdf=render_pdf(document))


@dataclass(frozen=True)
class Verified:
    record: IssuedCertificate
    masked_name: str
    masked_id_number: str
    period: str
    issued_on: str
    totals: list[tuple[str, str]]


def verify(code: str) -> Verified | None:
    """The certificate this code was printed on (in the request's city), or None when the
    code is unknown, malformed, or the record no longer matches its content hash."""
    if not code or not CODE_PATTERN.match(code):
        return None
    record = db.session.scalar(
        select(IssuedCertificate).where(IssuedCertificate.code_hash == hash_code(code))
    )
    if record is None:
        return None
    issued_at = record.issued_at.replace(microsecond=0)
    expected = content_hash(record.kind, record.serial, issued_at, record.content)
    if not secrets.compare_digest(expected, record.content_hash):
        return None
    content = record.content
    return Verified(
        record=record,
        masked_name=mask_name(content["name"]),
        masked_id_number=mask_id_number(content["id_number"]),
        period=content["period"],
        issued_on=issued_at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M"),
        totals=[
            (str(TOTAL_LABELS.get(key, key)), value) for key, value in content.get("totals", [])
        ],
    )
