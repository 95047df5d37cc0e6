"""The dates the apps want reminders for. The app that owns a date declares where its dates come
from (a ``DueSource``, registered from its ``AppConfig.ready()``) and how many days of notice each
organiser wants; ``reminders.py`` only iterates over them, so the notifications app never
imports the models of the apps above it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Due:
    """A date something is to be done by, for a pupil, with who is responsible."""

    kind: str
    object_id: int
    date: dt.date
    pupil: Any  # the pupil's Person
    unit_id: int
    organiser_id: int
    url: str
    people: set[int] = field(default_factory=set)  # person ids


# ``source(lo, hi, units)``: what is due between lo and hi (inclusive) and not done, at the units
# ``units`` (every unit: None). A fixed number of queries, however many dates.
DueSource = Callable[[dt.date, dt.date, set[int] | None], list[Due]]
# The days of notice per organiser id (organisers left out get the default).
NoticeDays = Callable[[], dict[int, int]]

DUE_SOURCES: list[DueSource] = []
NOTICE_DAYS: list[NoticeDays] = []


def register_due_source(source: DueSource) -> None:
    if source in DUE_SOURCES:
        raise ValueError(f"due source {source!r} is registered twice")
    DUE_SOURCES.append(source)


def register_notice_days(notice: NoticeDays) -> None:
    if notice in NOTICE_DAYS:
        raise ValueError(f"notice days {notice!r} are registered twice")
    NOTICE_DAYS.append(notice)
