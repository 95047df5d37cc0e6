"""Time helpers: one notion of "today" (in the school's time zone) for every rule."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    return timezone.localdate()


def now() -> dt.datetime:
    return timezone.now()
