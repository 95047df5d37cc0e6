from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def mark_for(marks: dict[int, Any], pk: int) -> Any:
    """The support mark of one pupil (None when the pupil has none, or it is not shown)."""
    return marks.get(pk)


@register.simple_tag
def table_body(table: Any) -> SafeString:
    """The rows of a statistics table, each cell with its column's header as ``data-label``
    (built in one pass: at 50 units a template loop over every cell is the page's slowest
    part). Every text is escaped by ``format_html``."""
    lines = []
    for row, cells in table.lines:
        css = ' class="total"' if row is table.total else ""
        tds = format_html_join("", '<td data-label="{}">{}</td>', ((h, c.text) for h, c in cells))
        lines.append(
            format_html(
                '<tr{}><th scope="row" data-label="{}">{}</th>{}</tr>',
                mark_safe(css),  # noqa: S308  (a constant)
                table.row_header,
                row.label,
                tds,
            )
        )
    return mark_safe("\n".join(lines))  # noqa: S308  (each line built by format_html)


@register.simple_tag
def bar_chart_bars(chart: Any) -> SafeString:
    """The bars of a bar chart: the unit's name, the bar (with its figure as a tooltip) and
    the figure beside it. A hidden figure has its label and no bar."""
    parts = []
    for bar in chart.bars:
        rect = (
            format_html(
                '<rect x="0" y="{}" width="{}" height="18" class="bar-rect">'
                "<title>{}: {}</title></rect>",
                bar.bar_y,
                f"{bar.width:.1f}",
                bar.label,
                bar.text,
            )
            if not bar.hidden
            else ""
        )
        parts.append(
            format_html(
                '<g class="bar"><text x="0" y="{}" class="bar-label">{}</text>{}'
                '<text x="{}" y="{}" class="bar-value">{}</text></g>',
                bar.text_y,
                bar.label,
                rect,
                "0" if bar.hidden else f"{bar.value_x:.1f}",
                bar.value_y,
                bar.text,
            )
        )
    return mark_safe("\n".join(parts))  # noqa: S308  (each part built by format_html)
