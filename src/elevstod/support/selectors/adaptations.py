"""Reads of extra adaptations and the library, through the access layer; every read of a
pupil's support is logged. Also who and what an adaptation may name (unit, subjects, staff)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from elevstod.core.actors import AnyUser
from elevstod.core.timeutil import today
from elevstod.organisation.access import (
    Grant,
    Reason,
    Right,
    access_pupil,
    pupils_with_support_access,
    visible_ids,
)
from elevstod.organisation.models import (
    Group,
    GroupMembership,
    Person,
    Placement,
    SchoolUnit,
    Subject,
)
from elevstod.organisation.staff_access import staff_with_access_to

from ..history import VersionView, version_views
from ..models import (
    AdaptationEvaluation,
    AdaptationFollowUp,
    AdaptationTemplate,
    ExtraAdaptation,
)

DUE_SOON = dt.timedelta(days=14)


def _adaptations() -> QuerySet[ExtraAdaptation]:
    return ExtraAdaptation.objects.select_related("responsible", "unit", "pupil").prefetch_related(
        "subjects"
    )


def access_adaptation(*, actor: AnyUser, pk: int, purpose: str, path: str = "") -> ExtraAdaptation:
    """One adaptation, if the actor works with the pupil's support. Logged like a pupil read."""
    pupil_id = ExtraAdaptation.objects.filter(pk=pk).values_list("pupil_id", flat=True).first()
    grant = access_pupil(
        actor=actor, pk=pupil_id or 0, purpose=purpose, right=Right.VIEW_SUPPORT, path=path
    )
    return _adaptations().get(pk=pk, pupil=grant.pupil)


@dataclass
class PupilAdaptations:
    active: list[ExtraAdaptation]
    ended: list[ExtraAdaptation]


def adaptations_for_pupil(*, grant: Grant) -> PupilAdaptations:
    """The pupil's adaptations for the pupil page (the caller's grant must give VIEW_SUPPORT)."""
    if not grant.has(Right.VIEW_SUPPORT):
        return PupilAdaptations([], [])
    rows = list(_adaptations().filter(pupil=grant.pupil))
    day = today()
    for a in rows:
        a.due = due_state(a, day) if a.is_active else ""  # type: ignore[attr-defined]
    return PupilAdaptations(
        active=[a for a in rows if a.is_active], ended=[a for a in rows if not a.is_active]
    )


def adaptation_records_for_pupil(
    *, grant: Grant, changed_since: dt.datetime | None = None
) -> QuerySet[ExtraAdaptation]:
    """The pupil's adaptations with their follow-ups and evaluations (the grant must give
    VIEW_SUPPORT), optionally only those changed, followed up or evaluated after a moment."""
    if not grant.has(Right.VIEW_SUPPORT):
        return ExtraAdaptation.objects.none()
    qs = _adaptations().filter(pupil=grant.pupil)
    if changed_since is not None:
        changed = (
            Q(updated_at__gt=changed_since)
            | Q(follow_ups__created_at__gt=changed_since)
            | Q(evaluations__created_at__gt=changed_since)
        )
        qs = qs.filter(pk__in=ExtraAdaptation.objects.filter(changed).values("pk"))
    return qs.prefetch_related("follow_ups", "evaluations")


@dataclass
class AdaptationDetail:
    adaptation: ExtraAdaptation
    versions: list[VersionView]
    follow_ups: list[AdaptationFollowUp]
    evaluations: list[AdaptationEvaluation]


def adaptation_detail(*, adaptation: ExtraAdaptation) -> AdaptationDetail:
    return AdaptationDetail(
        adaptation,
        version_views(list(adaptation.versions.select_related("changed_by__person"))),
        list(adaptation.follow_ups.select_related("created_by__person")),
        list(adaptation.evaluations.select_related("created_by__person")),
    )


class Due:
    OVERDUE = "overdue"
    SOON = "soon"


def adaptation_overview(
    *,
    actor: AnyUser,
    unit: SchoolUnit,
    group_id: int | None = None,
    subject_id: int | None = None,
    due: str | None = None,
) -> QuerySet[ExtraAdaptation]:
    """Active adaptations at a unit (or in one group) of pupils whose support the actor sees."""
    day = today()
    qs = _adaptations().filter(
        unit=unit,
        status=ExtraAdaptation.Status.ACTIVE,
        pupil__in=pupils_with_support_access(actor, day=day),
        # Added to the rule, never instead of it: the ids the user's rules reach, read through
        # the indexes, so that PostgreSQL does not read every person to match the rule (at
        # 100,000 pupils the count of the page took 145 ms, now 7 ms).
        pupil_id__in=visible_ids(actor, day=day),
    )
    if group_id is not None:
        members = GroupMembership.objects.active(day).filter(group_id=group_id).values("pupil_id")
        qs = qs.filter(pupil_id__in=members)
    if subject_id is not None:
        qs = qs.filter(Q(all_subjects=True) | Q(subjects__pk=subject_id)).distinct()
    if due == Due.OVERDUE:
        qs = qs.filter(next_follow_up__lt=day)
    elif due == Due.SOON:
        qs = qs.filter(next_follow_up__gte=day, next_follow_up__lte=day + DUE_SOON)
    return qs.order_by("next_follow_up", "pupil__family_name", "pupil__given_name", "pk")


def due_state(adaptation: ExtraAdaptation, day: dt.date | None = None) -> str:
    day = day or today()
    if adaptation.next_follow_up is None:
        return ""
    if adaptation.next_follow_up < day:
        return Due.OVERDUE
    if adaptation.next_follow_up <= day + DUE_SOON:
        return Due.SOON
    return ""


def library_for(*, unit: SchoolUnit) -> QuerySet[AdaptationTemplate]:
    return (
        AdaptationTemplate.objects.filter(is_active=True, organiser_id=unit.organiser_id)
        .filter(Q(unit__isnull=True) | Q(unit=unit))
        .select_related("subject")
        .order_by("title")
    )


def library_entry_get(*, unit: SchoolUnit, pk: int) -> AdaptationTemplate | None:
    return library_for(unit=unit).filter(pk=pk).first()


def pupil_has_support_module(pupil: Person) -> bool:
    return (
        Placement.objects.active().filter(pupil=pupil, unit__support_module_enabled=True).exists()
    )


def overview_group(*, unit: SchoolUnit, name: str = "", pk: int | None = None) -> Group | None:
    """The current group of the unit that the overview's filter names (by its name, as typed,
    ignoring case; or by id, from a page link). One row, however many groups the unit has."""
    groups = Group.objects.active().filter(unit=unit)
    if name:
        return groups.filter(name__iexact=name).order_by("school_year", "name", "pk").first()
    return groups.filter(pk=pk).first() if pk is not None else None


def subjects_taught_at(unit: SchoolUnit) -> list[Subject]:
    ids = Group.objects.active().filter(unit=unit, subject__isnull=False).values("subject_id")
    return list(Subject.objects.filter(pk__in=ids).order_by("name"))


def responsible_candidates(pupil: Person) -> list[Person]:
    """Who may be responsible for a pupil's adaptation: staff who work with the pupil's support."""
    reasons = frozenset({Reason.TEACHER, Reason.MENTOR, Reason.PRINCIPAL, Reason.PUPIL_HEALTH})
    return list(staff_with_access_to(pupil, reasons=reasons).order_by("family_name", "given_name"))
