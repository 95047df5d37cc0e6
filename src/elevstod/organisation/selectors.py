"""Reads of organisation data, always through the access layer (``access.py``).

Every function takes the acting user and returns only what that user may see, with a fixed
number of queries whatever the size of the school.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from elevstod.core.actors import AnyUser
from elevstod.core.errors import DomainError
from elevstod.core.models import active_on
from elevstod.core.timeutil import today

from .access import pupils_visible_to, scope_for, visible_ids
from .civic import civic_number_normalize
from .models import (
    Duty,
    Group,
    GroupMembership,
    Organiser,
    Person,
    Placement,
    SchoolUnit,
    TeachingAssignment,
)
from .scope import standing_of
from .standing import own_mentorships, own_taught_groups


def _with_current_placement(qs: QuerySet[Person], day: dt.date) -> QuerySet[Person]:
    return qs.prefetch_related(
        Prefetch(
            "placements",
            queryset=Placement.objects.filter(active_on(day)).select_related("unit"),
            to_attr="current_placements",
        )
    )


def pupils_matching(qs: QuerySet[Person], term: str) -> QuerySet[Person]:
    """``qs`` narrowed to the pupils whose name or personal identity number matches ``term``."""
    digits = re.sub(r"\D", "", term)
    if len(digits) >= 6 and len(digits) == len(re.sub(r"[\s-]", "", term)):
        try:
            return qs.filter(civic_number=civic_number_normalize(term))
        except DomainError:  # a partial number: match the digits as typed
            return qs.filter(civic_number__contains=digits)
    for word in term.split()[:4]:
        qs = qs.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word))
    return qs


def pupil_search(*, actor: AnyUser, term: str, limit: int = 50) -> QuerySet[Person]:
    """Pupils the actor may see whose name or personal identity number matches ``term``."""
    day = today()
    qs = pupils_visible_to(actor, day=day).filter(pk__in=visible_ids(actor, day=day))
    term = term.strip()
    if not term:
        return qs.none()
    return _with_current_placement(pupils_matching(qs, term), day)[:limit]


def pupil_list(
    *, actor: AnyUser, term: str = "", changed_since: dt.datetime | None = None
) -> QuerySet[Person]:
    """The pupils the actor may see (as the search does), optionally matching ``term`` and
    changed after ``changed_since``, with their current placements (one query more)."""
    day = today()
    qs = pupils_visible_to(actor, day=day)
    if term.strip():
        qs = pupils_matching(qs, term.strip())
    if changed_since is not None:
        qs = qs.filter(updated_at__gt=changed_since)
    return _with_current_placement(qs, day)


def group_members(*, actor: AnyUser, group: Group) -> QuerySet[Person]:
    day = today()
    member_ids = GroupMembership.objects.filter(active_on(day), group=group).values("pupil_id")
    return pupils_visible_to(actor, day=day).filter(pk__in=member_ids)


def group_teachers(*, group: Group) -> QuerySet[Person]:
    teacher_ids = TeachingAssignment.objects.filter(active_on(), group=group).values("teacher_id")
    return Person.objects.filter(pk__in=teacher_ids)


def unit_groups(*, unit: SchoolUnit) -> QuerySet[Group]:
    day = today()
    return (
        Group.objects.filter(active_on(day), unit=unit)
        .select_related("subject")
        .annotate(
            member_count=Count(
                "memberships", filter=active_on(day, prefix="memberships__"), distinct=True
            )
        )
    )


# --- staff pickers (investigator, contributor, responsible person, delegate) -----------------


def staff_for_pickers(people: Iterable[Person]) -> QuerySet[Person]:
    """``people`` by name, each with their active duties at school units for ``staff_label``
    (two queries when evaluated, however many people)."""
    duties = (
        Duty.objects.filter(active_on(today()), unit__isnull=False)
        .select_related("unit")
        .order_by("unit__name", "role", "pk")
    )
    return (
        Person.objects.filter(pk__in=[p.pk for p in people])
        .order_by("family_name", "given_name", "pk")
        .prefetch_related(Prefetch("duties", queryset=duties, to_attr="picker_duties"))
    )


def _mid_sentence(title: str) -> str:
    """ "Specialpedagog" reads "specialpedagog" after a comma; "SYV" stays as it is."""
    return title if title[1:2].isupper() else title[:1].lower() + title[1:]


def staff_label(person: Person) -> str:
    """How a staff member is shown in a picker: "Kim Ek, specialpedagog, Åbyskolan" (each
    active duty's title and unit; several duties separated by a semicolon)."""
    duties: list[Duty] | None = getattr(person, "picker_duties", None)
    if duties is None:
        duties = list(staff_for_pickers([person])[0].picker_duties)  # type: ignore[attr-defined]
    roles = list(
        dict.fromkeys(f"{_mid_sentence(d.label)}, {d.unit.name}" for d in duties if d.unit)
    )
    return ", ".join([person.full_name, "; ".join(roles)]) if roles else person.full_name


def unit_staff(*, unit: SchoolUnit) -> QuerySet[Duty]:
    return (
        Duty.objects.filter(active_on(), unit=unit)
        .select_related("person")
        .order_by("role", "person__family_name", "person__given_name")
    )


def unit_pupils(
    *, actor: AnyUser, unit: SchoolUnit, school_year: int | None = None
) -> QuerySet[Person]:
    day = today()
    placements = Placement.objects.filter(active_on(day), unit=unit)
    if school_year is not None:
        placements = placements.filter(school_year=school_year)
    visible = pupils_visible_to(actor, day=day).filter(pk__in=placements.values("pupil_id"))
    return _with_current_placement(visible, day)


def unit_year_counts(*, unit: SchoolUnit) -> list[dict[str, int]]:
    """Pupils per school year at the unit, for those who may see the unit's pupil lists."""
    return list(
        Placement.objects.filter(active_on(), unit=unit)
        .values("school_year")
        .annotate(pupils=Count("pupil_id", distinct=True))
        .order_by("school_year")
    )


def teacher_groups(*, actor: AnyUser) -> QuerySet[Group]:
    scope = scope_for(actor)
    if scope.person_id is None:
        return Group.objects.none()
    day = today()
    taught = own_taught_groups(actor, day)
    if not taught:
        return Group.objects.none()
    return (
        Group.objects.filter(active_on(day), pk__in=taught)
        .select_related("unit", "subject")
        .order_by("unit__name", "school_year", "name")
    )


def mentees(*, actor: AnyUser) -> QuerySet[Person]:
    scope = scope_for(actor)
    if scope.person_id is None:
        return Person.objects.none()
    day = today()
    ids = [pupil_id for pupil_id, _unit_id in own_mentorships(actor, day)]
    if not ids:
        return Person.objects.none()
    return _with_current_placement(pupils_visible_to(actor, day=day).filter(pk__in=ids), day)


def family_pupils(*, actor: AnyUser) -> QuerySet[Person]:
    """The actor's own children (as guardian) and the actor themselves (as pupil)."""
    ids = standing_of(actor).family  # read with the duties, through the indexes
    if not ids:
        return Person.objects.none()
    return _with_current_placement(Person.objects.filter(pk__in=ids), today())


def organiser_overview(*, actor: AnyUser) -> list[dict[str, Any]]:
    """Counts per unit for an organiser analyst: no names, ever."""
    organisers = scope_for(actor).analyst_organisers
    if not organisers:
        return []
    day = today()
    return list(
        SchoolUnit.objects.filter(organiser_id__in=organisers)
        .annotate(
            # Pupils with protected identity are never counted: a count of one could reveal one.
            pupil_count=Count(
                "placements__pupil",
                filter=active_on(day, prefix="placements__")
                & Q(placements__pupil__security_marking=Person.SecurityMarking.NONE),
                distinct=True,
            ),
            group_count=Count("groups", filter=active_on(day, prefix="groups__"), distinct=True),
        )
        .values(
            "id", "name", "school_unit_code", "support_module_enabled", "pupil_count", "group_count"
        )
        .order_by("name")
    )


def pupils_who_left(*, organiser: Organiser, before: dt.date) -> QuerySet[Any]:
    """The ids (``pupil_id``) of pupils with no current placement at ``organiser`` whose last
    one there ended before ``before``: what the retention rules count from. Records
    management only; its callers check that the actor is the organiser's data protection
    officer."""
    placements = Placement.objects.filter(unit__organiser=organiser)
    current = placements.filter(Q(end_date__isnull=True) | Q(end_date__gte=today()))
    ended = (
        placements.exclude(pupil_id__in=current.values("pupil_id"))
        .values("pupil_id")
        .annotate(last=Max("end_date"))
        .filter(last__lt=before)
    )
    return ended.values("pupil_id")
