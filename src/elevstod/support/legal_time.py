"""Lagen (1930:173) om beräkning av lagstadgad tid, 2 §: when the last day of a period set by
law falls on a Saturday, a Sunday, another public holiday, Midsummer Eve, Christmas Eve or New
Year's Eve, the act may still be done on the next weekday.

The public holidays (lagen 1989:253 om allmänna helgdagar) come from the ``holidays`` package,
category PUBLIC. The three eves, which are not public holidays but which the law treats as such,
are its category DE_FACTO for Sweden: exactly midsommarafton, julafton and nyårsafton.
Plain Python, no database.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache


@lru_cache(maxsize=32)
def days_that_move_a_deadline(year: int) -> frozenset[dt.date]:
    """The public holidays and the three eves of ``year`` (weekends aside).

    Outside the years the package covers (1953 to 2100) it would answer "no holidays" without
    a word; that is refused instead. (Imported here: the package loads every country's
    calendar, a quarter of a second that only the first deadline of a process should pay.)"""
    from holidays.constants import DE_FACTO, PUBLIC
    from holidays.countries.sweden import Sweden

    if not Sweden.start_year <= year <= Sweden.end_year:
        raise ValueError(f"no Swedish holidays known for {year}")
    sweden = Sweden(years=year, categories=(PUBLIC, DE_FACTO))
    return frozenset(sweden)


def moves_a_deadline(day: dt.date) -> bool:
    return day.weekday() >= 5 or day in days_that_move_a_deadline(day.year)


def last_day_of_period(last: dt.date) -> dt.date:
    """``last``, or the next weekday when a period ending on ``last`` runs on (2 §)."""
    while moves_a_deadline(last):
        last += dt.timedelta(days=1)
    return last
