"""The period and school years a statistics page is about, and terms for the trends.

A school year runs from 1 July to 30 June; its autumn term (HT) is July to December and its
spring term (VT) January to June, as the statistics count them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from elevstod.core.params import BadParameter, date_param, int_value
from elevstod.organisation.models import school_year_label

COMPULSORY_SCHOOL_YEARS = tuple(range(0, 10))  # 0 = förskoleklass (F) … 9
PLACEMENT_YEARS = tuple(range(0, 11))  # every year a placement may hold (its check: 0-10)
TREND_TERMS_MIN, TREND_TERMS_MAX = 2, 10
EARLIEST_YEAR = 1900


@dataclass(frozen=True)
class Term:
    year: int
    autumn: bool

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 7 if self.autumn else 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, 12, 31) if self.autumn else dt.date(self.year, 6, 30)

    @property
    def label(self) -> str:
        # Swedish HT (hösttermin) and VT (vårtermin).
        season = _("AT") if self.autumn else _("ST")
        return f"{season} {self.year}"

    def previous(self) -> Term:
        return Term(self.year, False) if self.autumn else Term(self.year - 1, True)


def term_of(day: dt.date) -> Term:
    return Term(day.year, day.month >= 7)


def school_year_start(day: dt.date) -> dt.date:
    return dt.date(day.year if day.month >= 7 else day.year - 1, 7, 1)


def period_terms(start: dt.date, end: dt.date) -> list[Term]:
    """The terms a trend over the period shows: those it touches (the last ten of a longer
    one), and the term before when it lies within one term, so there is a change to see."""
    first = term_of(start)
    terms = [term_of(end)]
    while len(terms) < TREND_TERMS_MAX and (first not in terms or len(terms) < TREND_TERMS_MIN):
        terms.append(terms[-1].previous())
    return list(reversed(terms))


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    years: tuple[int, ...] = ()  # school years; empty: all

    @property
    def years_label(self) -> str:
        if not self.years:
            return _("all school years")
        return ", ".join(school_year_label(y) for y in self.years)

    def query(self) -> str:
        parts = [f"fran={self.start.isoformat()}", f"till={self.end.isoformat()}"]
        parts += [f"arskurs={y}" for y in self.years]
        return "&".join(parts)


class PeriodError(BadParameter):
    """A period the form cannot show: ``message`` says what to change, beside the form."""

    def __init__(self, name: str, message: Any) -> None:
        super().__init__(name)
        self.message = message


def default_period(day: dt.date, years: tuple[int, ...] = ()) -> Period:
    """The school year so far."""
    return Period(school_year_start(day), day, years)


def period_from(data: Mapping[str, Any], day: dt.date) -> Period:
    """The period asked for (``fran``, ``till``, repeated ``arskurs``); by default the school
    year so far. A malformed date, an end before the start, a start before 1900 or more than
    ten years is a ``PeriodError``; malformed school years a plain 400."""
    years = years_from(data)
    start = _date(data, "fran") or school_year_start(day)
    end = _date(data, "till") or day
    if start.year < EARLIEST_YEAR:
        raise PeriodError("fran", gettext_lazy("The first day cannot be before 1900."))
    if end < start:
        raise PeriodError("till", gettext_lazy("The “From” date is after the “To” date."))
    if (end - start).days > 366 * 10:
        raise PeriodError("till", gettext_lazy("Choose a period of at most ten years."))
    return Period(start, end, years)


def _date(data: Mapping[str, Any], name: str) -> dt.date | None:
    try:
        return date_param(data, name)
    except BadParameter:
        raise PeriodError(
            name, gettext_lazy("Write the date as YYYY-MM-DD, for example 2026-08-15.")
        ) from None


def years_from(data: Mapping[str, Any]) -> tuple[int, ...]:
    """The school years asked for (``arskurs``, repeated); a malformed one is a 400."""
    getlist = getattr(data, "getlist", None)
    raw = getlist("arskurs") if getlist else []
    return tuple(sorted({int_value(str(v), name="arskurs", maximum=10) for v in raw if v != ""}))
