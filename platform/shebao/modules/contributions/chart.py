"""Geometry of the server-drawn bar charts (inline SVG, no JavaScript, no dependency).

A chart is horizontal bars, one row per year, so that it stays readable on a 375 px phone:
the SVG has a viewBox and scales to its box's width; labels keep a readable size because
the box is never wider than the stylesheet allows. Every figure is also in a table next to
the chart (its text alternative), so the chart itself can stay simple.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _

from ...core.money import format_money
from .services import YearSummary, all_years

WIDTH = 320
LABEL_END = 42  # the row label (a year) ends here, right-aligned before the bars
BAR_START = 48
BAR_SPACE = 170  # the longest bar
ROW = 24
BAR_HEIGHT = 16
TOP = 30  # room for the legend


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    series: int  # index into the chart's legend


@dataclass(frozen=True)
class Row:
    label: str
    y: float
    segments: tuple[Segment, ...]
    value: Decimal
    value_x: float


@dataclass(frozen=True)
class BarChart:
    legend: tuple[str, ...]
    rows: tuple[Row, ...]
    width: int
    height: int

    label_x: int = LABEL_END
    bar_height: int = BAR_HEIGHT
    #: Baseline of a row's text, below the row's top.
    text_dy: int = BAR_HEIGHT - 3


def bar_chart(legend: tuple[str, ...], data: list[tuple[str, tuple[Decimal, ...]]]) -> BarChart:
    """Bars for ``data``: (row label, one value per legend series, stacked left to right)."""
    largest = max((sum(values, Decimal(0)) for _, values in data), default=Decimal(0))
    scale = Decimal(BAR_SPACE) / largest if largest > 0 else Decimal(0)
    rows = []
    for index, (label, values) in enumerate(data):
        y = TOP + index * ROW
        x = float(BAR_START)
        segments = []
        for series, value in enumerate(values):
            width = round(float(value * scale), 1)
            if width > 0:
                segments.append(Segment(round(x, 1), width, series))
                x += width
        total = sum(values, Decimal(0))
        rows.append(Row(label, y, tuple(segments), total, round(x + 4, 1)))
    return BarChart(tuple(legend), tuple(rows), WIDTH, TOP + len(data) * ROW + 4)


def pension_summary(lines: list[YearSummary]) -> dict:
    """The pension page's two charts, their text alternatives and the table's figures."""
    first, last = lines[0], lines[-1]
    bases = [(str(line.year), (line.totals.average_base,)) for line in lines]
    paid = [(str(line.year), (line.totals.individual, line.totals.employer)) for line in lines]
    most = max(lines, key=lambda line: (line.totals.total, line.year))
    return {
        "lines": lines,
        "all_years": all_years(lines),
        "base_chart": bar_chart((_("Average monthly base"),), bases),
        "base_text": _(
            "Average monthly contribution base by year, from %(first)s (%(start)s yuan) to "
            "%(last)s (%(end)s yuan). The table below lists every year.",
            first=first.year,
            last=last.year,
            start=format_money(first.totals.average_base),
            end=format_money(last.totals.average_base),
        ),
        "paid_chart": bar_chart((_("Individual part"), _("Employer part")), paid),
        "paid_text": _(
            "Amount paid per year, individual and employer parts, from %(first)s to %(last)s; "
            "the most was %(most)s yuan in %(year)s. The table below lists every year.",
            first=first.year,
            last=last.year,
            most=format_money(most.totals.total),
            year=most.year,
        ),
    }
