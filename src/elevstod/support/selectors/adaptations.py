"""Reads of extra adaptations and the library, through the access layer; every read of a
pupil's support is logged. Also who and what an adaptation may name (unit, subjects, staff)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page
from django.db.models import F, Q, QuerySet

from elevstod.audit.services import access_log_record_each
from elevstod.core.actors import AnyUser
from elevstod.core.compiled import compiled_objects, compiled_rows
from elevstod.core.paging import counted_page_read, id_url, page_rows
from elevstod.core.timeutil import today
from elevstod.organisation.access import (
    Grant,
    Reason,
    Right,
    access_pupil,
    scope_for,
)
from elevstod.organisation.access_lists import pupil_columns, row_grants, support_access_of
from elevstod.organisation.models import (
    Group,
    GroupMembership,
    Person,
    Placement,
    SchoolUnit,
    Subject,
)
from elevstod.organisation.staff_access import staff_with_access_to

from ..access import leads
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
    unit: SchoolUnit | int,
    group_id: int | None = None,
    subject_id: int | None = None,
    due: str | None = None,
    day: dt.date | None = None,
) -> QuerySet[ExtraAdaptation]:
    """Active adaptations at a unit (or in one group) of pupils whose support the actor sees
    (``pupils_with_support_access``, asked of the unit's adaptations: at 100,000 pupils the
    page reads its unit's rows, not every person)."""
    day = day or today()
    qs = ExtraAdaptation.objects.filter(
        support_access_of(actor, day=day), unit=unit, status=ExtraAdaptation.Status.ACTIVE
    )
    if group_id is not None:
        members = GroupMembership.objects.active(day).filter(group_id=group_id).values("pupil_id")
        qs = qs.filter(pupil_id__in=members)
    if subject_id is not None:
        with_subject = ExtraAdaptation.subjects.through.objects.filter(subject_id=subject_id)
        qs = qs.filter(Q(all_subjects=True) | Q(pk__in=with_subject.values("extraadaptation_id")))
    if due == Due.OVERDUE:
        qs = qs.filter(next_follow_up__lt=day)
    elif due == Due.SOON:
        qs = qs.filter(next_follow_up__gte=day, next_follow_up__lte=day + DUE_SOON)
    return qs.order_by("next_follow_up", "pupil__family_name", "pupil__given_name", "pk")


@dataclass(frozen=True)
class OverviewFilter:
    """What the overview is filtered by: a group, a subject, the follow-up's due state."""

    group_id: int | None = None
    subject_id: int | None = None
    due: str | None = None


def adaptation_overview_page(
    *,
    actor: AnyUser,
    unit: SchoolUnit,
    chosen: OverviewFilter,
    number: Any,
    per_page: int,
    path: str,
) -> Page[Any]:
    """A page of ``adaptation_overview`` as the page shows it (``overview_rows``), its pupils
    logged as read (``overview_log``): the overview is read only with its log. The grants on
    the page's pupils are read with its rows (``pupil_columns``), in a statement compiled
    once per process for the reader's scope, the day, the filter's shape and the page."""
    day = today()
    columns = pupil_columns(actor)

    def build(*, unit: int, group: int | None, subject: int | None) -> QuerySet[Any]:
        qs = adaptation_overview(
            actor=actor, unit=unit, group_id=group, subject_id=subject, due=chosen.due, day=day
        )
        rows: QuerySet[Any] = qs.values(*OVERVIEW_FIELDS, **columns)
        return rows

    values: dict[str, Any] = {
        "unit": unit.pk,
        "group": chosen.group_id,
        "subject": chosen.subject_id,
    }

    def read(start: int, stop: int) -> list[dict[str, Any]]:
        key = ("adaptation overview", scope_for(actor, day), day, chosen.due, start, stop)
        return compiled_rows(key, lambda **given: page_rows(build(**given), start, stop), **values)

    page = counted_page_read(read, lambda: build(**values), number, per_page)
    shown = list(page.object_list)
    grants = row_grants(actor, shown, ref="pupil_id")
    page.object_list = overview_rows(shown, grants)
    overview_log(actor=actor, grants=grants, path=path)
    return page


# What a row of the overview shows, read with ``values()``: no model instance a row.
OVERVIEW_FIELDS = (
    "pk",
    "title",
    "all_subjects",
    "next_follow_up",
    "pupil_id",
    "responsible__given_name",
    "responsible__family_name",
)


def overview_rows(rows: list[dict[str, Any]], grants: dict[int, Grant]) -> list[dict[str, Any]]:
    """The rows of a page of the overview as the page shows them: names, links, the due
    state, and each adaptation's subjects by name (one query for the page)."""
    day, pupil_url, url = (
        today(),
        id_url("organisation:pupil_detail"),
        id_url("support:adaptation_detail"),
    )
    named = [row["pk"] for row in rows if not row["all_subjects"]]
    subjects: dict[int, list[str]] = {}
    for row in compiled_rows("overview subjects", _subjects_of, adaptations=named):
        subjects.setdefault(row["adaptation"], []).append(row["name"])
    for row in rows:
        follow_up = row["next_follow_up"]
        row.update(
            url=url(row["pk"]),
            pupil_url=pupil_url(row["pupil_id"]),
            pupil_name=grants[row["pupil_id"]].pupil.full_name,
            responsible_name=f"{row['responsible__given_name']} {row['responsible__family_name']}",
            subjects=", ".join(subjects.get(row["pk"], ())),
            next=follow_up.isoformat() if follow_up else "",
            due=_due(follow_up, day),
        )
    return rows


def _subjects_of(*, adaptations: list[int]) -> QuerySet[Any]:
    through = ExtraAdaptation.subjects.through.objects.filter(extraadaptation_id__in=adaptations)
    rows: QuerySet[Any] = through.order_by("subject__name", "subject_id").values(
        adaptation=F("extraadaptation_id"), name=F("subject__name")
    )
    return rows


def overview_log(*, actor: AnyUser, grants: dict[int, Grant], path: str = "") -> None:
    """One access log row per pupil of the overview's page, with the basis the unit's
    special-support list logs for the same reader: the heads' reasons for the pupils the actor
    leads, else the mentor's or the teacher's; the rows in one insert."""
    if not grants:
        return
    scope = scope_for(actor)
    heads: set[str] = {Reason.PRINCIPAL} if scope.principal_units else set()
    heads |= {Reason.PUPIL_HEALTH} if scope.health_units else set()
    reads = [
        (pk, _basis(grants[pk], heads))
        for pk in sorted(grants)
        if grants[pk].has(Right.VIEW_SUPPORT)
    ]
    access_log_record_each(
        actor=actor,
        reads=reads,
        purpose="support.adaptation_overview.page",
        granted=True,
        path=path,
    )


def _basis(grant: Grant, heads: set[str]) -> set[str]:
    if leads(grant):
        return heads
    return {Reason.MENTOR if Reason.MENTOR in grant.reasons else Reason.TEACHER}


def due_state(adaptation: ExtraAdaptation, day: dt.date | None = None) -> str:
    return _due(adaptation.next_follow_up, day or today())


def _due(next_follow_up: dt.date | None, day: dt.date) -> str:
    if next_follow_up is None:
        return ""
    if next_follow_up < day:
        return Due.OVERDUE
    if next_follow_up <= day + DUE_SOON:
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
    """The subjects of the unit's current groups, by name (a statement compiled once a day)."""
    day = today()

    def build(*, unit: int) -> QuerySet[Subject]:
        groups = Group.objects.active(day).filter(unit_id=unit, subject__isnull=False)
        return Subject.objects.filter(pk__in=groups.values("subject_id")).order_by("name")

    return compiled_objects(("subjects taught", day), build, unit=unit.pk)


def responsible_candidates(pupil: Person) -> list[Person]:
    """Who may be responsible for a pupil's adaptation: staff who work with the pupil's support."""
    reasons = frozenset({Reason.TEACHER, Reason.MENTOR, Reason.PRINCIPAL, Reason.PUPIL_HEALTH})
    return list(staff_with_access_to(pupil, reasons=reasons).order_by("family_name", "given_name"))
