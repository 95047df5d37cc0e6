"""Groups and their pupils' memberships."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from elevstod.audit.services import audit_record
from elevstod.core.actors import Actor

from ..models import Group, GroupMembership, Person, SchoolUnit, Subject
from .changes import changed


@transaction.atomic
def group_create(
    *,
    actor: Actor | None,
    unit: SchoolUnit,
    name: str,
    kind: str,
    start_date: dt.date,
    subject: Subject | None = None,
    school_year: int | None = None,
    external_id: str | None = None,
) -> Group:
    group = Group.objects.create(
        unit=unit,
        name=name,
        kind=kind,
        subject=subject,
        school_year=school_year,
        start_date=start_date,
        external_id=external_id,
    )
    audit_record(
        code="organisation.group.created",
        actor=actor,
        obj=group,
        unit_id=unit.pk,
        data={"name": name, "kind": kind},
    )
    return group


@transaction.atomic
def group_update(
    *, actor: Actor | None, group: Group, name: str, kind: str, school_year: int | None
) -> list[str]:
    names = changed(group, {"name": name, "kind": kind, "school_year": school_year})
    if names:
        group.save(update_fields=[*names, "updated_at"])
        audit_record(
            code="organisation.group.updated",
            actor=actor,
            obj=group,
            unit_id=group.unit_id,
            data={"fields": names},
        )
    return names


@transaction.atomic
def group_end(*, actor: Actor | None, group: Group, end_date: dt.date) -> None:
    group.end_date = end_date
    group.save(update_fields=["end_date", "updated_at"])
    audit_record(
        code="organisation.group.ended", actor=actor, obj=group, unit_id=group.unit_id, data={}
    )


@transaction.atomic
def membership_add(
    *,
    actor: Actor | None,
    group: Group,
    pupil: Person,
    start_date: dt.date,
    external_id: str | None = None,
) -> GroupMembership:
    membership = GroupMembership.objects.create(
        group=group, pupil=pupil, start_date=start_date, external_id=external_id
    )
    audit_record(
        code="organisation.membership.added",
        actor=actor,
        obj=membership,
        pupil_id=pupil.pk,
        unit_id=group.unit_id,
        data={"group_id": group.pk},
    )
    return membership


@transaction.atomic
def membership_end(*, actor: Actor | None, membership: GroupMembership, end_date: dt.date) -> None:
    membership.end_date = end_date
    membership.save(update_fields=["end_date", "updated_at"])
    audit_record(
        code="organisation.membership.ended",
        actor=actor,
        obj=membership,
        pupil_id=membership.pupil_id,
        unit_id=membership.group.unit_id,
        data={"group_id": membership.group_id},
    )
