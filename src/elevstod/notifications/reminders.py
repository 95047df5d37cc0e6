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
from .services import Outgoing, notification_send, notification_send_many

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


BATCH = 500  # reminders written per transaction


def send_reminders(*, day: dt.date) -> int:
    """Send what is due on ``day`` and not sent before; returns how many reminders went out.
    In batches: per batch one query for what was sent before, one insert of the marks, and
    the notifications written together (``notification_send_many``)."""
    sent = 0
    batch: list[tuple[Due, str]] = []
    for item in dates_due(day):
        batch.append(item)
        if len(batch) == BATCH:
            sent += _remind_batch(batch)
            batch = []
    return sent + (_remind_batch(batch) if batch else 0)


def _key(due: Due, stage: str) -> tuple[str, int, dt.date, str]:
    return (due.kind, due.object_id, due.date, stage)


def _remind_batch(batch: list[tuple[Due, str]]) -> int:
    """The batch's reminders not sent before, in one transaction. Should another run mark one
    of them in the meantime, the unique mark refuses the insert, nothing of the batch is kept,
    and its reminders go one by one (each then sent by exactly one of the runs)."""
    try:
        with transaction.atomic():
            return _remind_unsent(batch)
    except IntegrityError:
        return sum(_remind(due, stage) for due, stage in batch)


def _remind_unsent(batch: list[tuple[Due, str]]) -> int:
    marked = ReminderSent.objects.filter(
        kind__in={due.kind for due, _stage in batch},
        object_id__in={due.object_id for due, _stage in batch},
    ).values_list("kind", "object_id", "due_date", "stage")
    seen = set(marked)
    todo = []
    for due, stage in batch:
        if _key(due, stage) not in seen:
            seen.add(_key(due, stage))
            todo.append((due, stage))
    ReminderSent.objects.bulk_create(
        ReminderSent(kind=due.kind, object_id=due.object_id, due_date=due.date, stage=stage)
        for due, stage in todo
    )
    users = _users_by_person({p for due, _stage in todo for p in due.people})
    notification_send_many(
        actor=None,
        outgoing=[
            Outgoing(
                code=due.kind,
                recipients=[users[p] for p in due.people if p in users],
                url=due.url,
                pupil=due.pupil,
                params={"date": due.date.isoformat()},
            )
            for due, _stage in todo
        ],
    )
    return len(todo)


def _users_by_person(person_ids: set[int]) -> dict[int, Any]:
    """The active login of each person (one query, with the person for the SMS number)."""
    from elevstod.accounts.models import User

    users = User.objects.filter(person_id__in=[p for p in person_ids if p], is_active=True)
    return {u.person_id: u for u in users.select_related("person") if u.person_id is not None}


def _recipients(person_ids: set[int]) -> QuerySet[Any]:
    from elevstod.accounts.models import User

    return User.objects.filter(person_id__in=[p for p in person_ids if p], is_active=True)


def _remind(due: Due, stage: str) -> int:
    """One reminder, unless it was sent before (by this or another run)."""
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
