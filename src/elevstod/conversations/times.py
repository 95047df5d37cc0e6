"""An offered time in words, as a guardian chooses it: the weekday, the day, the start and end,
and the place ("måndag 14 december 14:40–15:00, Sal 12"), in the reader's language."""

from __future__ import annotations

import datetime as dt

from django.utils import dateformat, timezone

from .models import TalkSlot


def slot_label(slot: TalkSlot) -> str:
    when = span_label(slot.starts_at, slot.duration_minutes, with_year=False)
    return f"{when}, {slot.place}" if slot.place else when


def span_label(starts_at: dt.datetime | None, minutes: int, *, with_year: bool = True) -> str:
    """A booked or offered time without its place: "måndag 14 december 2026 14:40–15:10"."""
    if starts_at is None:
        return ""
    start = timezone.localtime(starts_at)
    end = start + dt.timedelta(minutes=minutes)
    day = dateformat.format(start, "l j F Y" if with_year else "l j F")
    return f"{day} {start:%H:%M}–{end:%H:%M}"
