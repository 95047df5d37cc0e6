"""The appeal period (44 § förvaltningslagen) and its last day, moved past weekends, holidays
and the eves by lagen (1930:173) om beräkning av lagstadgad tid (``legal_time``). Plain Python,
no database; part of the workflow table (``workflow.py`` re-exports it)."""

from __future__ import annotations

import datetime as dt

from .legal_time import days_that_move_a_deadline, last_day_of_period

# The appeal period: three weeks from the day the party was notified (44 § förvaltningslagen).
APPEAL_PERIOD = dt.timedelta(weeks=3)
APPEAL_PERIOD_LAW = "44 § förvaltningslagen"

__all__ = [
    "APPEAL_PERIOD",
    "APPEAL_PERIOD_LAW",
    "appeal_deadline",
    "appeal_in_time",
    "appeal_last_day",
    "days_that_move_a_deadline",
]


def appeal_deadline(notified_on: dt.date) -> dt.date:
    """Three weeks from the day the party was notified (FL 44 §), counted as the same weekday
    three weeks later; ``appeal_last_day`` moves it past weekends and holidays."""
    return notified_on + APPEAL_PERIOD


def appeal_last_day(notified_on: dt.date) -> dt.date:
    """The last day an appeal may come in: three weeks after notification, moved to the next
    weekday when that is a Saturday, Sunday, public holiday or midsummer/Christmas/New Year's
    eve (lagen 1930:173, see ``legal_time``)."""
    return last_day_of_period(appeal_deadline(notified_on))


def appeal_in_time(*, notified_on: dt.date | None, received_on: dt.date) -> bool:
    """Whether an appeal received on ``received_on`` is in time. A party never notified has not
    started the period, so their appeal is in time."""
    if notified_on is None:
        return True
    return received_on <= appeal_last_day(notified_on)
