"""The small-number rule of the organiser's statistics (issue "overviews", privacy).

A count of 1 to 4 could point at a pupil: it is shown as "< 5". A total over such cells would
give them away by subtraction (the total minus the shown cells), so a total is exact only when
no cell it adds up is hidden; otherwise it shows what the shown cells add up to, as a lower
bound ("≥ 37"), which tells nothing the shown cells do not. The same holds for every total,
the per-term trends included. A median or maximum over fewer than 5 cases is a person's own
figure: not shown. Unit statistics for the unit's principal and pupil health team, who see the
pupils anyway, are exact (``protect=False``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

SMALL = 5


@dataclass(frozen=True)
class Cell:
    value: float | None  # what a chart or an export may use; None: not shown
    text: str
    lower_bound: bool = False

    @property
    def hidden(self) -> bool:
        return self.value is None


def number(value: float | None) -> Cell:
    if value is None:
        return Cell(None, "–")
    shown = int(value) if float(value).is_integer() else round(value, 1)
    return Cell(shown, str(shown))


def count_cell(n: int, *, protect: bool) -> Cell:
    if protect and 0 < n < SMALL:
        return Cell(None, f"< {SMALL}")
    return number(n)


def total_cell(values: Sequence[int], *, protect: bool) -> Cell:
    total = sum(values)
    hidden = [v for v in values if 0 < v < SMALL] if protect else []
    if not hidden:
        return count_cell(total, protect=protect)
    shown = total - sum(hidden)
    if shown == 0:
        return Cell(None, _("not shown"), lower_bound=True)
    return Cell(shown, f"≥ {shown}", lower_bound=True)


def figure_cell(value: float | None, cases: int, *, protect: bool) -> Cell:
    """A median or maximum over ``cases``: hidden when it is about fewer than 5."""
    if value is None or (protect and cases < SMALL):
        return Cell(None, "–")
    return number(value)
