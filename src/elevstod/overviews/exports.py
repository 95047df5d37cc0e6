"""Every statistics table as CSV or XLSX, and the official-statistics export.

No cell can become a formula in someone's spreadsheet, in CSV and XLSX alike
(``core.spreadsheet.safe``)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from elevstod.core.spreadsheet import BOM, SheetWriter, Value, safe

from .privacy import Cell
from .statistics import Table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(cell: Cell) -> Value:
    return cell.value if cell.value is not None and not cell.lower_bound else cell.text


def table_rows(table: Table) -> list[list[Value]]:
    header: list[Value] = [table.row_header, *(c.header for c in table.columns)]
    rows: list[list[Value]] = [header]
    with_code = any(row.code for row in table.rows)
    if with_code:
        header.insert(1, _("School unit code"))
    for row in [*table.rows, *([table.total] if table.total else [])]:
        line: list[Value] = [row.label, *(_cell(c) for c in row.cells)]
        if with_code:
            line.insert(1, row.code)
        rows.append(line)
    return rows


def csv_response(filename: str, rows: Sequence[Sequence[Value]]) -> HttpResponse:
    buffer = io.StringIO()
    writer = SheetWriter(buffer)
    for row in rows:
        writer.row(row)
    response = HttpResponse(BOM + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(
    filename: str, sheets: Sequence[tuple[str, str, Sequence[Sequence[Value]]]]
) -> HttpResponse:
    """A workbook with a sheet per (short name, title, rows): the title, when there is one, in
    the first row, the rows' header below it, both in bold."""
    from openpyxl import Workbook  # imported when asked for: most requests never need it
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, title, rows in sheets:
        sheet = book.create_sheet(_sheet_title(name))
        heading = [[title]] if title else []
        for row in [*heading, *rows]:
            sheet.append([safe(v) for v in row])
        for line in range(1, len(heading) + 2):
            for cell in sheet[line]:
                cell.font = Font(bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _sheet_title(title: str) -> str:
    """Excel allows 31 characters and none of ``[]:*?/\\`` in a sheet's name (the names are
    declared short: this only keeps a workbook from failing)."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title)
    return cleaned[:31] or "Blad"


OFFICIAL_HEADER = ("skolenhetskod", "skolenhet", "arskurs", "elever_med_atgardsprogram")


def official_rows(rows: list[dict[str, Any]], day: dt.date, protect: bool) -> list[list[Value]]:
    """The official-statistics format (docs/statistics.md): one line per school unit code and
    school year, the reference date on each line."""
    from .privacy import count_cell

    out: list[list[Value]] = [[*OFFICIAL_HEADER, "referensdatum"]]
    for row in rows:
        cell = count_cell(row["pupils"], protect=protect)
        out.append(
            [
                row["unit__school_unit_code"],
                row["unit__name"],
                "F" if row["school_year"] == 0 else row["school_year"],
                cell.value if cell.value is not None else cell.text,
                day.isoformat(),
            ]
        )
    return out
