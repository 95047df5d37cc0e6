"""The appeal period (44 § förvaltningslagen) and how its last day moves past weekends and
holidays (lagen 1930:173 om beräkning av lagstadgad tid). Plain Python, no database; part of
the workflow table (``workflow.py`` re-exports it)."""

from __future__ import annotations

import datetime as dt

# The appeal period: three weeks from the day the party was notified (44 § förvaltningslagen).
APPEAL_PERIOD = dt.timedelta(weeks=3)
APPEAL_PERIOD_LAW = "44 § förvaltningslagen"


def appeal_deadline(notified_on: dt.date) -> dt.date:
    """The last day to appeal: three weeks from the day the party was notified (FL 44 §).

    Counted as the day with the same weekday three weeks later; ``appeal_last_day`` moves it
    past weekends and holidays."""
    return notified_on + APPEAL_PERIOD


def _easter(year: int) -> dt.date:
    """Easter Sunday (the Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _first_saturday(start: dt.date) -> dt.date:
    return start + dt.timedelta(days=(5 - start.weekday()) % 7)


def days_that_move_a_deadline(year: int) -> set[dt.date]:
    """Public holidays and the eves that lagen (1930:173) om beräkning av lagstadgad tid
    treats like them: a period ending on one of these (or a Saturday or Sunday) ends on the
    next weekday instead."""
    easter = _easter(year)
    midsummer_eve = _first_saturday(dt.date(year, 6, 20)) - dt.timedelta(days=1)
    return {
        dt.date(year, 1, 1),
        dt.date(year, 1, 6),
        easter - dt.timedelta(days=2),
        easter,
        easter + dt.timedelta(days=1),
        dt.date(year, 5, 1),
        easter + dt.timedelta(days=39),
        easter + dt.timedelta(days=49),
        dt.date(year, 6, 6),
        midsummer_eve,
        midsummer_eve + dt.timedelta(days=1),
        _first_saturday(dt.date(year, 10, 31)),
        dt.date(year, 12, 24),
        dt.date(year, 12, 25),
        dt.date(year, 12, 26),
        dt.date(year, 12, 31),
    }


def appeal_last_day(notified_on: dt.date) -> dt.date:
    """The last day an appeal may come in: three weeks after notification, moved to the next
    weekday when that is a Saturday, Sunday, public holiday or midsummer/Christmas/New Year's
    eve (lagen 1930:173)."""
    last = appeal_deadline(notified_on)
    while last.weekday() >= 5 or last in days_that_move_a_deadline(last.year):
        last += dt.timedelta(days=1)
    return last


def appeal_in_time(*, notified_on: dt.date | None, received_on: dt.date) -> bool:
    """Whether an appeal received on ``received_on`` is in time. A party never notified has not
    started the period, so their appeal is in time."""
    if notified_on is None:
        return True
    return received_on <= appeal_last_day(notified_on)
