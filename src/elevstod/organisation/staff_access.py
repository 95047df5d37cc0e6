"""Who may see a pupil, asked the other way round: the staff who may see one pupil."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from elevstod.core.models import active_on
from elevstod.core.timeutil import today

from .access import PROTECTED_IDENTITY_REASONS, STAFF_REASONS, Reason
from .models import Duty, Group, GroupMembership, Mentorship, Person, Placement, TeachingAssignment


def staff_with_access_to(
    pupil: Person, *, reasons: frozenset[str] = STAFF_REASONS, day: dt.date | None = None
) -> QuerySet[Person]:
    """The inverse of the rules above: the staff who may see ``pupil`` through ``reasons``.

    Used to choose whom to notify and who may be made responsible. The tests check that it
    agrees with ``pupil_grant`` for every member of the standing cast."""
    day = day or today()
    if pupil.has_protected_identity:
        reasons = reasons & PROTECTED_IDENTITY_REASONS
    units = Placement.objects.filter(active_on(day), pupil=pupil).values("unit_id")
    match = Q(pk__in=[])
    if Reason.TEACHER in reasons:
        groups = GroupMembership.objects.filter(
            active_on(day), pupil=pupil, group__in=Group.objects.filter(active_on(day))
        ).values("group_id")
        teachers = TeachingAssignment.objects.filter(active_on(day), group_id__in=groups)
        match |= Q(pk__in=teachers.values("teacher_id"))
    if Reason.MENTOR in reasons:
        match |= Q(
            pk__in=Mentorship.objects.filter(active_on(day), pupil=pupil).values("mentor_id")
        )
    unit_roles = [
        role
        for reason, role in (
            (Reason.PRINCIPAL, Duty.Role.PRINCIPAL),
            (Reason.PUPIL_HEALTH, Duty.Role.PUPIL_HEALTH),
            (Reason.ADMINISTRATOR, Duty.Role.ADMINISTRATOR),
        )
        if reason in reasons
    ]
    if unit_roles:
        duties = Duty.objects.filter(active_on(day), role__in=unit_roles, unit_id__in=units)
        match |= Q(pk__in=duties.values("person_id"))
    return Person.objects.filter(match)
