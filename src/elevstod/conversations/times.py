"""An offered time in words, as a guardian chooses it: the weekday, the day, the start and end,
and the place ("måndag 14 december 14:40–15:00, Sal 12"), in the reader's language."""

from __future__ import annotations

import datetime as dt

from django.utils import dateformat, timezone

from .models import TalkSlot


def slot_label(slot: TalkSlot) -> str:
    start = timezone.localtime(slot.starts_at)
    end = start + dt.timedelta(minutes=slot.duration_minutes)
    when = f"{dateformat.format(start, 'l j F')} {start:%H:%M}–{end:%H:%M}"
    return f"{when}, {slot.place}" if slot.place else when
