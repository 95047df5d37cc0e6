"""CSV for spreadsheets as Swedish users open them, shared by every export.

Semicolons, because a spreadsheet set to Swedish reads a comma as the decimal sign; a byte order
mark, so that å, ä and ö are read right; and no cell a spreadsheet would run as a formula: a text
that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before one) gets a
leading apostrophe, so a name typed or imported can never become a formula on someone's machine."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
Value = str | int | float


class _Writable(Protocol):
    def write(self, value: str, /) -> Any: ...


def safe(value: Value) -> Value:
    """A cell value no spreadsheet runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SheetWriter:
    """Writes rows of safe cells, semicolon-separated, CRLF-terminated."""

    def __init__(self, stream: _Writable) -> None:
        self._writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")

    def row(self, values: Iterable[Value]) -> Any:
        return self._writer.writerow([safe(v) for v in values])
