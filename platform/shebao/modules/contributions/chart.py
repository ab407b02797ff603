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
from markupsafe import Markup, escape

from ...core.money import format_money
from .services import YearSummary, all_years

#: The series' colours (dark enough for text contrast against white).
COLOURS = ("#1d4f91", "#0b6e4f")
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

    def figure(self, id: str, caption: str, description: str) -> Markup:
        """The chart as an inline-SVG ``<figure>``. Its text alternative: role="img" with a
        <title> and a <desc>, and the table that follows it on the page.

        Written here rather than in a Jinja macro: a chart is a few hundred numbers, and a
        macro spent a tenth of the history page's time escaping them one by one."""
        id, caption = escape(id), escape(caption)
        dy, height = self.text_dy, self.bar_height
        out = [
            f'<figure class="chart">\n<figcaption id="{id}-caption">{caption}</figcaption>\n'
            f'<svg role="img" aria-labelledby="{id}-title {id}-desc" '
            f'viewBox="0 0 {self.width} {self.height}" width="100%" font-size="13" '
            f'focusable="false">\n<title id="{id}-title">{caption}</title>\n'
            f'<desc id="{id}-desc">{escape(description)}</desc>\n<g aria-hidden="true">\n'
        ]
        for index, name in enumerate(self.legend):
            out.append(
                f'<rect x="{4 + index * 130}" y="6" width="13" height="13" '
                f'fill="{COLOURS[index % 2]}"/>\n'
                f'<text x="{21 + index * 130}" y="17" fill="#1a1a1a">{escape(name)}</text>\n'
            )
        for row in self.rows:
            out.append(
                f'<text x="{self.label_x}" y="{row.y + dy}" text-anchor="end" '
                f'fill="#1a1a1a">{escape(row.label)}</text>\n'
            )
            out.extend(
                f'<rect x="{segment.x}" y="{row.y}" width="{segment.width}" height="{height}" '
                f'fill="{COLOURS[segment.series % 2]}"/>\n'
                for segment in row.segments
            )
            out.append(
                f'<text x="{row.value_x}" y="{row.y + dy}" fill="#1a1a1a">'
                f"{escape(format_money(row.value))}</text>\n"
            )
        out.append("</g>\n</svg>\n</figure>\n")
        return Markup("".join(out))


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
