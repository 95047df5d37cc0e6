"""Reminders before dates in the support chain (DOMAIN.md §3), read from the support models.

For each kind of date the responsible persons are reminded ``reminder_days`` before it (per
organiser, ``SupportSettings.reminder_days``; 5 without a row) and again on the day if nothing
was done. ``ReminderSent`` (unique per object, date, kind and stage) makes every run idempotent:
``manage.py send_reminders`` may run as often as cron likes. Done work is never reminded of: an
investigation no longer in progress, a programme decided (decision date) or evaluated
(evaluation date), an adaptation ended or followed up after its date was set.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.urls import reverse

from elevstod.organisation.models import Duty, Person
from elevstod.support import workflow as wf
from elevstod.support.models import (
    ActionProgramme,
    AdaptationFollowUp,
    AdaptationVersion,
    ExtraAdaptation,
    Investigation,
    SupportSettings,
)

from .models import ReminderSent
from .services import notification_send

INVESTIGATION = "reminder.investigation.decision"
PROGRAMME_DECISION = "reminder.programme.decision"
PROGRAMME_EVALUATION = "reminder.programme.evaluation"
ADAPTATION_FOLLOW_UP = "reminder.adaptation.follow_up"


@dataclass
class Due:
    """A date something is to be done by, for a pupil, with who is responsible."""

    kind: str
    object_id: int
    date: dt.date
    pupil: Person
    unit_id: int
    organiser_id: int
    url: str
    people: set[int] = field(default_factory=set)  # person ids


def _principals(unit_ids: Iterable[int]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    duties = Duty.objects.active().filter(unit_id__in=set(unit_ids), role=Duty.Role.PRINCIPAL)
    for unit_id, person_id in duties.values_list("unit_id", "person_id"):
        out.setdefault(unit_id, set()).add(person_id)
    return out


def _investigations(lo: dt.date, hi: dt.date, units: set[int] | None) -> list[Due]:
    qs = (
        Investigation.objects.filter(
            state=wf.InvestigationState.IN_PROGRESS, planned_decision_date__range=(lo, hi)
        )
        .select_related("pupil", "unit")
        .prefetch_related("investigators")
    )
    rows = list(qs if units is None else qs.filter(unit_id__in=units))
    principals = _principals(i.unit_id for i in rows)
    return [
        Due(
            INVESTIGATION,
            i.pk,
            i.planned_decision_date,
            i.pupil,
            i.unit_id,
            i.unit.organiser_id,
            reverse("support:investigation_detail", args=[i.pk]),
            principals.get(i.unit_id, set()) | {p.pk for p in i.investigators.all()},
        )
        for i in rows
        if i.planned_decision_date
    ]


def _programmes(lo: dt.date, hi: dt.date, units: set[int] | None) -> list[Due]:
    undecided = (wf.ProgrammeState.DRAFT, wf.ProgrammeState.SUBMITTED)
    qs = ActionProgramme.objects.select_related("pupil", "unit").filter(
        Q(state__in=undecided, planned_decision_date__range=(lo, hi))
        | Q(state=wf.ProgrammeState.DECIDED, evaluation_date__range=(lo, hi))
    )
    rows = list(qs if units is None else qs.filter(unit_id__in=units))
    principals = _principals(p.unit_id for p in rows)
    out = []
    for p in rows:
        url = reverse("support:programme_detail", args=[p.pk])
        common = (p.pupil, p.unit_id, p.unit.organiser_id, url)
        if p.state in undecided and p.planned_decision_date:
            people = principals.get(p.unit_id, set())
            out.append(Due(PROGRAMME_DECISION, p.pk, p.planned_decision_date, *common, people))
        elif p.state == wf.ProgrammeState.DECIDED and p.evaluation_date:
            people = {p.evaluation_responsible_id} if p.evaluation_responsible_id else set()
            out.append(Due(PROGRAMME_EVALUATION, p.pk, p.evaluation_date, *common, people))
    return out


def _not_followed_up(adaptations: list[ExtraAdaptation]) -> list[ExtraAdaptation]:
    """Those of ``adaptations`` with no follow-up since their follow-up date was last set (at
    creation, or by a change of ``next_follow_up``). Two queries, however many adaptations."""
    ids = [a.pk for a in adaptations]
    set_at: dict[int, dt.datetime] = {}
    changed = AdaptationVersion.objects.filter(
        adaptation_id__in=ids, changes__has_key="next_follow_up"
    ).order_by("version")
    for adaptation_id, changed_at in changed.values_list("adaptation_id", "changed_at"):
        set_at[adaptation_id] = changed_at  # the latest change wins
    last_follow_up = dict(
        AdaptationFollowUp.objects.filter(adaptation_id__in=ids)
        .values("adaptation_id")
        .annotate(last=Max("created_at"))
        .values_list("adaptation_id", "last")
    )
    return [
        a
        for a in adaptations
        if not (a.pk in last_follow_up and last_follow_up[a.pk] > set_at.get(a.pk, a.created_at))
    ]


def _adaptations(lo: dt.date, hi: dt.date, units: set[int] | None) -> list[Due]:
    qs = ExtraAdaptation.objects.filter(
        status=ExtraAdaptation.Status.ACTIVE, next_follow_up__range=(lo, hi)
    ).select_related("pupil", "unit")
    if units is not None:
        qs = qs.filter(unit_id__in=units)
    rows = _not_followed_up([a for a in qs if a.next_follow_up])
    return [
        Due(
            ADAPTATION_FOLLOW_UP,
            a.pk,
            a.next_follow_up,
            a.pupil,
            a.unit_id,
            a.unit.organiser_id,
            reverse("support:adaptation_detail", args=[a.pk]),
            {a.responsible_id},
        )
        for a in rows
        if a.next_follow_up
    ]


SOURCES: tuple[Callable[[dt.date, dt.date, set[int] | None], list[Due]], ...] = (
    _investigations,
    _programmes,
    _adaptations,
)


def reminder_days() -> dict[int, int]:
    """Days of notice per organiser; organisers without settings get the default."""
    return dict(SupportSettings.objects.values_list("organiser_id", "reminder_days"))


def dates_due(day: dt.date) -> Iterator[tuple[Due, str]]:
    """Every (due item, stage) that should be reminded of on ``day`` (sent or not)."""
    default = settings.NOTIFICATIONS_REMINDER_DEFAULT_DAYS
    days = reminder_days()
    longest = max([default, *days.values()])
    lo = day - dt.timedelta(days=settings.NOTIFICATIONS_REMINDER_CATCH_UP_DAYS)
    hi = day + dt.timedelta(days=longest)
    for source in SOURCES:
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


def overdue_for(*, actor: Any, day: dt.date) -> list[Due]:
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
    items = [d for source in SOURCES for d in source(lo, hi, units)]
    return sorted(items, key=lambda d: d.date)
