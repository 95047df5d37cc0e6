"""Reminders before dates (DOMAIN.md §3), read from the sources the owning apps register
(``registry.DueSource``; the support chain's dates are declared in ``support/due_dates.py``).

For each kind of date the responsible persons are reminded ``reminder_days`` before it (per
organiser, as the registered notice days say; the default without one) and again on the day if
nothing was done. ``ReminderSent`` (unique per object, date, kind and stage) makes every run
idempotent: ``manage.py send_reminders`` may run as often as cron likes. Done work is never
reminded of: each source leaves out what is done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from elevstod.core.actors import AnyUser
from elevstod.organisation.models import Duty

from .models import ReminderSent
from .registry import DUE_SOURCES, NOTICE_DAYS, Due
from .services import notification_send

__all__ = ["Due", "dates_due", "overdue_for", "reminder_days", "send_reminders"]


def reminder_days() -> dict[int, int]:
    """Days of notice per organiser; organisers without settings get the default."""
    days: dict[int, int] = {}
    for notice in NOTICE_DAYS:
        days.update(notice())
    return days


def dates_due(day: dt.date) -> Iterator[tuple[Due, str]]:
    """Every (due item, stage) that should be reminded of on ``day`` (sent or not)."""
    default = settings.NOTIFICATIONS_REMINDER_DEFAULT_DAYS
    days = reminder_days()
    longest = max([default, *days.values()])
    lo = day - dt.timedelta(days=settings.NOTIFICATIONS_REMINDER_CATCH_UP_DAYS)
    hi = day + dt.timedelta(days=longest)
    for source in DUE_SOURCES:
        for due in source(lo, hi, None):
            notice = days.get(due.organiser_id, default)
            if due.date <= day:
                yield due, ReminderSent.Stage.ON_THE_DAY
            elif day >= due.date - dt.timedelta(days=notice):
                yield due, ReminderSent.Stage.BEFORE


def send_reminders(*, day: dt.date) -> int:
    """Send what is due on ``day`` and not sent before; returns how many reminders went out."""
    sent = 0
    for due, stage in dates_due(day):
        sent += _remind(due, stage)
    return sent


def _recipients(person_ids: set[int]) -> QuerySet[Any]:
    from elevstod.accounts.models import User

    return User.objects.filter(person_id__in=[p for p in person_ids if p], is_active=True)


def _remind(due: Due, stage: str) -> int:
    with transaction.atomic():
        try:
            with transaction.atomic():
                ReminderSent.objects.create(
                    kind=due.kind, object_id=due.object_id, due_date=due.date, stage=stage
                )
        except IntegrityError:
            return 0  # sent before, by this or another run
        notification_send(
            code=due.kind,
            actor=None,
            recipients=_recipients(due.people),
            url=due.url,
            pupil=due.pupil,
            params={"date": due.date.isoformat()},
        )
    return 1


def overdue_for(*, actor: AnyUser, day: dt.date) -> list[Due]:
    """What is past its date and not done at the units where ``actor`` is principal."""
    person_id = getattr(actor, "person_id", None)
    if person_id is None:
        return []
    units = set(
        Duty.objects.active()
        .filter(person_id=person_id, role=Duty.Role.PRINCIPAL)
        .values_list("unit_id", flat=True)
    )
    if not units:
        return []
    lo = dt.date(1900, 1, 1)
    hi = day - dt.timedelta(days=1)
    items = [d for source in DUE_SOURCES for d in source(lo, hi, units)]
    return sorted(items, key=lambda d: d.date)
