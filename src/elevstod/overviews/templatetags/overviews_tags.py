from __future__ import annotations

import html
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def mark_for(marks: dict[int, Any], pk: int) -> Any:
    """The support mark of one pupil (None when the pupil has none, or it is not shown)."""
    return marks.get(pk)


def _e(value: Any) -> str:
    """``value`` escaped as ``conditional_escape`` does, without its lazy-text wrapper: these
    tags write thousands of cells, and the wrapper was most of the page's rendering time."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


@register.simple_tag
def table_body(table: Any) -> SafeString:
    """The rows of a statistics table, each cell with its column's header as ``data-label``
    (built in one pass: at 50 units a template loop over every cell is the page's slowest
    part). Every text is escaped by ``_e``; each header once per table."""
    headers = [_e(c.header) for c in table.columns]
    row_header = _e(table.row_header)
    lines = []
    for row, cells in table.lines:
        css = ' class="total"' if row is table.total else ""
        tds = "".join(
            f'<td data-label="{h}">{_e(cell.text)}</td>'
            for h, (_header, cell) in zip(headers, cells, strict=True)
        )
        lines.append(
            f'<tr{css}><th scope="row" data-label="{row_header}">{_e(row.label)}</th>{tds}</tr>'
        )
    return mark_safe("\n".join(lines))  # noqa: S308  (every text in it escaped by _e)


@register.simple_tag
def bar_chart_bars(chart: Any) -> SafeString:
    """The bars of a bar chart: the unit's name, the bar (with its figure as a tooltip) and
    the figure beside it. A hidden figure has its label and no bar."""
    parts = []
    for bar in chart.bars:
        label, text = _e(bar.label), _e(bar.text)
        rect = (
            f'<rect x="0" y="{bar.bar_y}" width="{bar.width:.1f}" height="18" class="bar-rect">'
            f"<title>{label}: {text}</title></rect>"
            if not bar.hidden
            else ""
        )
        value_x = "0" if bar.hidden else f"{bar.value_x:.1f}"
        parts.append(
            f'<g class="bar"><text x="0" y="{bar.text_y}" class="bar-label">{label}</text>{rect}'
            f'<text x="{value_x}" y="{bar.value_y}" class="bar-value">{text}</text></g>'
        )
    return mark_safe("\n".join(parts))  # noqa: S308  (every text in it escaped by _e)
