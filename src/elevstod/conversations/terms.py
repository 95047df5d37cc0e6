"""Terms (terminer) and the rule of which school years must have a written development plan.

A term is spring (VT, January to June) or autumn (HT, July to December) of a year, stored as a
code such as ``2026-2HT`` (it sorts as text in time order). The written individual development
plan (skriftlig individuell utvecklingsplan) is required once a term in years 1-5 (DOMAIN.md
§3); a unit may choose to write it in its other years too
(``ConversationSettings.plan_in_other_years``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from elevstod.core.timeutil import today

SPRING = "VT"
AUTUMN = "HT"
REQUIRED_YEARS = range(1, 6)  # years 1-5


@dataclass(frozen=True)
class Term:
    year: int
    half: str  # SPRING or AUTUMN; ``key`` orders terms in time

    @property
    def code(self) -> str:
        """``2026-1VT``, ``2026-2HT``: sorts in time order as text."""
        return f"{self.year}-{self.key[1] + 1}{self.half}"

    @property
    def key(self) -> tuple[int, int]:
        return (self.year, 0 if self.half == SPRING else 1)

    @property
    def label(self) -> str:
        name = _("Spring") if self.half == SPRING else _("Autumn")
        return f"{name} {self.year}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1 if self.half == SPRING else 7, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, 6, 30) if self.half == SPRING else dt.date(self.year, 12, 31)


def term_of(day: dt.date) -> Term:
    return Term(day.year, SPRING if day.month <= 6 else AUTUMN)


def current_term() -> Term:
    return term_of(today())


def term_from_code(code: str) -> Term | None:
    year, _sep, rest = code.partition("-")
    half = rest[1:]
    if not year.isdigit() or half not in (SPRING, AUTUMN):
        return None
    return Term(int(year), half)


def term_key(code: str) -> tuple[int, int]:
    """Sorts codes in time order (spring before autumn of a year)."""
    term = term_from_code(code)
    return term.key if term else (0, 0)


def is_earlier_term(code: str) -> bool:
    """Whether ``code`` is a term before the current one: its talks and plans are history."""
    return term_key(code) < current_term().key


def term_label(code: str) -> str:
    term = term_from_code(code)
    return term.label if term else code


def plan_required(school_year: int | None) -> bool:
    """The written development plan is required in years 1-5 only."""
    return school_year in REQUIRED_YEARS


def plan_allowed(school_year: int | None, *, other_years: bool) -> bool:
    """Written in years 1-5 always; in years 6-9 when the unit chose to (not in the preschool
    class)."""
    return plan_required(school_year) or (other_years and (school_year or 0) > 5)
