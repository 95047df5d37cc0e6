"""Charts drawn on the server as inline SVG: a bar per unit, a line per figure over the terms.

Only geometry is computed here; the templates write the SVG with a title, a description and a
text label on every bar and point, and the data table beside it. No script, no inline style
(the colours are classes in the app's style sheet), so the strict CSP holds."""

from __future__ import annotations

from dataclasses import dataclass

from .statistics import Table

WIDTH = 640
BAR_AREA = 440  # the longest bar; the rest of the width holds its value
ROW = 46
PLOT_HEIGHT = 180
TOP, BOTTOM, LEFT = 24, 36, 16


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    y: int
    width: float
    hidden: bool

    @property
    def text_y(self) -> int:
        return self.y + 14

    @property
    def bar_y(self) -> int:
        return self.y + 20

    @property
    def value_x(self) -> float:
        return self.width + 8

    @property
    def value_y(self) -> int:
        return self.y + 36


@dataclass(frozen=True)
class BarChart:
    key: str
    title: str
    description: str
    bars: list[Bar]
    height: int
    width: int = WIDTH


def bar_chart(table: Table, description: str) -> BarChart | None:
    points = table.chart_points
    if not points or table.chart is None:
        return None
    values = [cell.value or 0 for _label, cell in points]
    top = max(values) or 1
    bars = [
        Bar(name, cell.text, i * ROW, BAR_AREA * float(cell.value or 0) / top, cell.hidden)
        for i, (name, cell) in enumerate(points)
    ]
    title = f"{table.title}: {table.columns[table.chart].header}"
    return BarChart(table.key, title, description, bars, len(bars) * ROW + 8)


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    text: str
    term: str


@dataclass(frozen=True)
class Series:
    index: int
    label: str
    points: list[Point]

    @property
    def path(self) -> str:
        """The line through the shown points (a hidden term leaves a gap)."""
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class LineChart:
    key: str
    title: str
    description: str
    series: list[Series]
    terms: list[tuple[float, str]]
    height: int = TOP + PLOT_HEIGHT + BOTTOM
    width: int = WIDTH
    baseline: int = TOP + PLOT_HEIGHT


def line_chart(table: Table, description: str) -> LineChart:
    values = [c.value or 0 for row in table.rows for c in row.cells]
    top = max(values) or 1
    count = len(table.columns)
    step = (WIDTH - 2 * LEFT - 40) / max(count - 1, 1)
    xs = [LEFT + 20 + i * step for i in range(count)]
    series = [
        Series(
            i,
            row.label,
            [
                Point(xs[j], TOP + PLOT_HEIGHT * (1 - float(c.value) / top), c.text, col.header)
                for j, (c, col) in enumerate(zip(row.cells, table.columns, strict=True))
                if c.value is not None
            ],
        )
        for i, row in enumerate(table.rows)
    ]
    terms = [(xs[j], col.header) for j, col in enumerate(table.columns)]
    return LineChart(table.key, table.title, description, series, terms)
