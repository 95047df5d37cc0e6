"""The dates of the support chain that the responsible persons are reminded of (DOMAIN.md §3),
registered with the notifications app (``notifications.registry``): an investigation's planned
decision date, a programme's planned decision and evaluation dates, an adaptation's next
follow-up. Done work is left out: an investigation no longer in progress, a programme decided
(decision date) or evaluated (evaluation date), an adaptation ended or followed up after its
date was set. Each source runs a fixed number of queries, however many dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Max, Q
from django.urls import reverse

from elevstod.notifications.registry import Due
from elevstod.organisation.models import Duty

from . import workflow as wf
from .models import (
    ActionProgramme,
    AdaptationFollowUp,
    AdaptationVersion,
    ExtraAdaptation,
    Investigation,
    SupportSettings,
)

INVESTIGATION = "reminder.investigation.decision"
PROGRAMME_DECISION = "reminder.programme.decision"
PROGRAMME_EVALUATION = "reminder.programme.evaluation"
ADAPTATION_FOLLOW_UP = "reminder.adaptation.follow_up"


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


def reminder_days() -> dict[int, int]:
    """Days of notice per organiser (``SupportSettings.reminder_days``)."""
    return dict(SupportSettings.objects.values_list("organiser_id", "reminder_days"))


SOURCES = (_investigations, _programmes, _adaptations)
