"""`shebao import --kind benefits`: payments from CSV, one row per item, grouped by
(id_number, benefit_type, period); all-or-nothing, line-numbered problems, re-import replaces."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from shebao.core.extensions import db
from shebao.core.importing import ImportProblems, import_file
from shebao.modules.benefits.importer import BENEFITS
from shebao.modules.benefits.models import BenefitItem, BenefitPayment

HEADER = ["id_number", "benefit_type", "period", "paid_on", "item", "amount"]


@pytest.fixture
def write_csv(tmp_path):
    count = 0

    def write(rows: list[list[str]], header: list[str] = HEADER) -> Path:
        nonlocal count
        count += 1
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
        path = tmp_path / f"benefits-{count}.csv"
        path.write_text(out.getvalue(), encoding="utf-8")
        return path

    return write


@pytest.fixture
def run_import(app):
    def run(code: str, path: Path):
        with app.app_context():
            return import_file(BENEFITS, code, path)

    return run


def payments_of(app, code: str) -> dict[tuple, tuple]:
    """(person id, type, period) → (paid_on, total, [(item, amount) …])."""
    with app.app_context():
        payments = db.session.scalars(
            select(BenefitPayment).where(BenefitPayment.city == code)
        ).all()
        return {
            (p.person_id, p.benefit_type, p.period): (
                p.paid_on,
                p.total,
                [(i.name, i.amount) for i in p.items],
            )
            for p in payments
        }


def test_items_are_grouped_into_payments_whose_total_is_their_sum(
    app, make_resident, write_csv, run_import
):
    li = make_resident("binzhou", 41, account=False, category="retiree")
    wang = make_resident("binzhou", 42, account=False)
    result = run_import(
        "binzhou",
        write_csv(
            [
                [li.id_number, "pension", "2025-01", "2025-01-05", "基本养老金", "2000"],
                [li.id_number, "pension", "2025-01", "2025-01-05", "过渡性养老金", "300.5"],
                [wang.id_number, "medical", "2025-03", "2025-03-20", "统筹支付", "1234.56"],
                [li.id_number, "退休金待遇", "2025-01", "2025-01-05", "调整金", "99.99"],  # pension
                [li.id_number, "pension", "2025-02", "2025-02-05", "基本养老金", "2000.00"],
            ]
        ),
    )
    assert (result.inserted, result.updated) == (3, 0)
    payments = payments_of(app, "binzhou")
    assert payments[(li.id, "pension", date(2025, 1, 1))] == (
        date(2025, 1, 5),
        Decimal("2400.49"),
        [
            ("基本养老金", Decimal("2000.00")),
            ("过渡性养老金", Decimal("300.50")),
            ("调整金", Decimal("99.99")),
        ],
    )
    assert payments[(li.id, "pension", date(2025, 2, 1))][1] == Decimal("2000.00")
    assert payments[(wang.id, "medical", date(2025, 3, 1))][2] == [("统筹支付", Decimal("1234.56"))]


def test_a_reimport_replaces_the_payments_items(app, make_resident, write_csv, run_import):
    li = make_resident("binzhou", 43, account=False, category="retiree")
    run_import(
        "binzhou",
        write_csv(
            [
                [li.id_number, "pension", "2025-01", "2025-01-05", "基本养老金", "2000"],
                [li.id_number, "pension", "2025-01", "2025-01-05", "调整金", "100"],
            ]
        ),
    )
    again = run_import(
        "binzhou",
        write_csv(
            [
                [li.id_number, "pension", "2025-01", "2025-01-06", "基本养老金", "2100"],
                [li.id_number, "pension", "2025-02", "2025-02-05", "基本养老金", "2100"],
            ]
        ),
    )
    assert (again.inserted, again.updated) == (1, 1)
    payments = payments_of(app, "binzhou")
    assert len(payments) == 2
    assert payments[(li.id, "pension", date(2025, 1, 1))] == (
        date(2025, 1, 6),
        Decimal("2100.00"),
        [("基本养老金", Decimal("2100.00"))],
    )
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BenefitItem)) == 2


def test_bad_rows_are_reported_by_line_and_nothing_is_loaded(
    app, make_resident, write_csv, run_import
):
    li = make_resident("binzhou", 44, account=False, category="retiree")
    elsewhere = make_resident("dezhou", 45, account=False)
    n = li.id_number
    path = write_csv(
        [
            [n, "pension", "2025-01", "2025-01-05", "基本养老金", "2000"],  # 2: good
            ["37160219800101123", "pension", "2025-01", "2025-01-05", "x", "1"],  # 3: id number
            [n, "bonus", "2025-01", "2025-01-05", "x", "1"],  # 4: type
            [n, "pension", "2025-13", "2025-01-05", "x", "1"],  # 5: period
            [n, "pension", "2025-02", "05/02/2025", "x", "1"],  # 6: paid_on
            [n, "pension", "2025-02", "2025-02-05", "", "1"],  # 7: item
            [n, "pension", "2025-02", "2025-02-05", "x", "-5"],  # 8: negative
            [n, "pension", "2025-02", "2025-02-05", "y", "1.005"],  # 9: three decimals
            [n, "pension", "2025-02", "2025-02-05", "z", "1e3"],  # 10: not plain
            [n, "pension", "2025-01", "2025-01-06", "调整金", "1"],  # 11: paid_on differs
            [n, "pension", "2025-01", "2025-01-05", "基本养老金", "1"],  # 12: item twice
            [
                elsewhere.id_number,
                "medical",
                "2025-01",
                "2025-01-05",
                "x",
                "1",
            ],  # 13: not in binzhou
        ]
    )
    with pytest.raises(ImportProblems) as caught:
        run_import("binzhou", path)
    assert caught.value.problems == [
        "3: id_number: must be 18 characters",
        "4: benefit_type: must be one of pension, unemployment, work_injury, maternity, medical",
        "5: period: '2025-13' is not a month in the form YYYY-MM",
        "6: paid_on: '05/02/2025' is not a date in the form YYYY-MM-DD",
        "7: item: must be 1 to 64 characters",
        "8: amount: '-5' is not an amount in yuan with at most two decimals",
        "9: amount: '1.005' is not an amount in yuan with at most two decimals",
        "10: amount: '1e3' is not an amount in yuan with at most two decimals",
        "11: paid_on: differs from line 2 of the same payment",
        "12: item: already given on line 2 for the same payment",
        "13: id_number: no insured person with this ID number in binzhou",
    ]
    assert payments_of(app, "binzhou") == {}


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"", "1: the file is empty (expected a header row and data rows)"),
        (b"id_number,benefit_type,period,paid_on,item\r\n", "1: missing column 'amount'"),
        (b"id_number,benefit_type,period,paid_on,item,amount,note\r\n", "1: unknown column 'note'"),
        (b"id_number,benefit_type,period,paid_on,item,amount\r\n", "2: the file holds no rows"),
        (
            b"id_number,benefit_type,period,paid_on,item,amount\r\n1,2,3,4,5,6,7\r\n",
            "2: more fields than columns",
        ),
    ],
)
def test_broken_files_are_refused(app, tmp_path, run_import, content, problem):
    path = tmp_path / "benefits.csv"
    path.write_bytes(content)
    with pytest.raises(ImportProblems) as caught:
        run_import("binzhou", path)
    assert problem in caught.value.problems


def test_imported_payments_show_on_the_benefits_page(
    app, binzhou, make_resident, write_csv, run_import
):
    li = make_resident("binzhou", 46, category="retiree")
    run_import(
        "binzhou",
        write_csv(
            [
                [li.id_number, "pension", "2024-07", "2024-07-05", "基本养老金", "2000"],
                [li.id_number, "pension", "2024-07", "2024-07-05", "某市自定项目", "12.34"],
            ]
        ),
    )
    assert binzhou.login(li.id_number, li.password).status_code == 302
    html = binzhou.get("/benefits/pension?lang=en").get_data(as_text=True)
    assert "Basic pension" in html and "某市自定项目" in html  # unknown item names as recorded
    assert "2,012.34" in html and "Jul 5, 2024" in html
