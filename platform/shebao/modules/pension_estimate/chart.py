"""The chart of the estimate at each retirement age: horizontal stacked bars drawn on the
server as inline SVG (no JavaScript), one row per age, scaled to its box so that it stays
readable at 375 px. The table beside it holds every figure (its text alternative)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

WIDTH = 320
LABEL_END = 78
BAR_START = 84
BAR_SPACE = 170
ROW = 26
BAR_HEIGHT = 18
TOP = 30


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    series: int


@dataclass(frozen=True)
class Row:
    label: str
    y: int
    segments: tuple[Segment, ...]
    total: Decimal
    total_x: float
    chosen: bool


@dataclass(frozen=True)
class Chart:
    legend: tuple[str, ...]
    rows: tuple[Row, ...]
    width: int = WIDTH
    height: int = 0
    label_x: int = LABEL_END
    bar_height: int = BAR_HEIGHT
    text_dy: int = BAR_HEIGHT - 4


def stacked_bars(
    legend: tuple[str, ...], data: list[tuple[str, tuple[Decimal, ...], bool]]
) -> Chart:
    """Bars for ``data``: (row label, one value per legend series, whether it is the chosen
    row)."""
    largest = max((sum(values, Decimal(0)) for _, values, _c in data), default=Decimal(0))
    scale = Decimal(BAR_SPACE) / largest if largest > 0 else Decimal(0)
    rows = []
    for position, (label, values, chosen) in enumerate(data):
        x = float(BAR_START)
        segments = []
        for series, value in enumerate(values):
            width = round(float(value * scale), 1)
            if width > 0:
                segments.append(Segment(round(x, 1), width, series))
                x += width
        rows.append(
            Row(
                label,
                TOP + position * ROW,
                tuple(segments),
                sum(values, Decimal(0)),
                round(x + 4, 1),
                chosen,
            )
        )
    return Chart(tuple(legend), tuple(rows), height=TOP + len(data) * ROW + 4)
