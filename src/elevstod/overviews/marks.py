"""What teachers and mentors see of their pupils' support outside the pupil page: which pupils
of a group have active extra adaptations or an action programme in force (a badge on the group
page), and the follow-ups due this week for the user's own pupils (the start page).

Only pupils whose support the user may see (``pupils_with_support_access``), so a badge never
tells a teacher something the pupil page would not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from elevstod.core.actors import AnyUser
from elevstod.core.timeutil import today
from elevstod.organisation.access import pupils_with_support_access, scope_for
from elevstod.organisation.models import GroupMembership, Person
from elevstod.organisation.standing import own_mentorships, own_taught_groups
from elevstod.support import workflow as wf
from elevstod.support.models import ActionProgramme, ExtraAdaptation


@dataclass(frozen=True)
class Mark:
    adaptations: int
    programme: bool


def support_marks(*, actor: AnyUser, pupils: Iterable[Person]) -> dict[int, Mark]:
    """Marks for those of ``pupils`` whose support the actor sees and who have support
    (one query, however many pupils)."""
    ids = [p.pk for p in pupils]
    if not ids:
        return {}
    active = Q(adaptations__status=ExtraAdaptation.Status.ACTIVE)
    in_force = ActionProgramme.objects.filter(pupil_id=OuterRef("pk"), state__in=list(wf.IN_FORCE))
    rows = (
        pupils_with_support_access(actor)
        .filter(pk__in=ids)
        .annotate(n=Count("adaptations", filter=active), programme=Exists(in_force))
        .filter(Q(n__gt=0) | Q(programme=True))
        .values("pk", "n", "programme")
    )
    return {row["pk"]: Mark(row["n"], row["programme"]) for row in rows}


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def my_pupil_ids(actor: AnyUser, day: dt.date) -> list[int]:
    """The pupils the actor teaches or mentors (not the whole unit of a principal)."""
    mentored = {pupil_id for pupil_id, _unit_id in own_mentorships(actor, day)}
    taught = own_taught_groups(actor, day)
    if not taught:
        return list(mentored)
    members = GroupMembership.objects.active(day).filter(group_id__in=taught)
    return list(mentored.union(members.values_list("pupil_id", flat=True)))


def follow_ups_due_this_week(*, actor: AnyUser) -> list[ExtraAdaptation]:
    """Active adaptations of the actor's own pupils whose next follow-up falls this week or is
    already overdue, earliest first (two queries: the pupils, then their adaptations)."""
    if scope_for(actor).person_id is None:
        return []
    day = today()
    _monday, sunday = week_of(day)
    mine = my_pupil_ids(actor, day)
    if not mine:
        return []
    visible = pupils_with_support_access(actor, day=day).filter(pk__in=mine)
    return list(
        ExtraAdaptation.objects.filter(
            status=ExtraAdaptation.Status.ACTIVE,
            next_follow_up__lte=sunday,
            pupil__in=visible.values("pk"),
            unit__support_module_enabled=True,
        )
        .select_related("pupil", "unit")
        .order_by("next_follow_up", "pupil__family_name", "pupil__given_name", "pk")[:50]
    )
