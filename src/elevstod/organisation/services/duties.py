"""Staff duties, teaching assignments and mentorships."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from elevstod.audit.services import audit_record
from elevstod.core.actors import Actor

from ..models import Duty, Group, Mentorship, Organiser, Person, SchoolUnit, TeachingAssignment


@transaction.atomic
def duty_assign(
    *,
    actor: Actor | None,
    person: Person,
    role: str,
    start_date: dt.date,
    unit: SchoolUnit | None = None,
    organiser: Organiser | None = None,
    title: str = "",
    external_id: str | None = None,
) -> Duty:
    organiser = organiser or (unit.organiser if unit is not None else None)
    if organiser is None:
        raise ValueError("a duty needs a unit or an organiser")
    if unit is not None and unit.organiser_id != organiser.pk:
        raise ValueError("the unit belongs to another organiser")
    duty = Duty.objects.create(
        person=person,
        role=role,
        unit=unit,
        organiser=organiser,
        title=title,
        start_date=start_date,
        external_id=external_id,
    )
    audit_record(
        code="organisation.duty.assigned",
        actor=actor,
        obj=duty,
        unit_id=unit.pk if unit else None,
        data={"role": role, "person_id": person.pk},
    )
    return duty


@transaction.atomic
def duty_change_role(*, actor: Actor | None, duty: Duty, role: str, title: str) -> None:
    duty.role = role
    duty.title = title
    duty.save(update_fields=["role", "title", "updated_at"])
    audit_record(
        code="organisation.duty.role_changed",
        actor=actor,
        obj=duty,
        unit_id=duty.unit_id,
        data={"role": role, "person_id": duty.person_id},
    )


@transaction.atomic
def duty_end(*, actor: Actor | None, duty: Duty, end_date: dt.date) -> Duty:
    duty.end_date = end_date
    duty.save(update_fields=["end_date", "updated_at"])
    audit_record(
        code="organisation.duty.ended",
        actor=actor,
        obj=duty,
        unit_id=duty.unit_id,
        data={"role": duty.role, "person_id": duty.person_id},
    )
    return duty


@transaction.atomic
def teaching_assign(
    *,
    actor: Actor | None,
    teacher: Person,
    group: Group,
    start_date: dt.date,
    external_id: str | None = None,
) -> TeachingAssignment:
    assignment = TeachingAssignment.objects.create(
        teacher=teacher, group=group, start_date=start_date, external_id=external_id
    )
    audit_record(
        code="organisation.teaching.assigned",
        actor=actor,
        obj=assignment,
        unit_id=group.unit_id,
        data={"teacher_id": teacher.pk, "group_id": group.pk},
    )
    return assignment


@transaction.atomic
def teaching_end(*, actor: Actor | None, assignment: TeachingAssignment, end_date: dt.date) -> None:
    assignment.end_date = end_date
    assignment.save(update_fields=["end_date", "updated_at"])
    audit_record(
        code="organisation.teaching.ended",
        actor=actor,
        obj=assignment,
        data={"teacher_id": assignment.teacher_id, "group_id": assignment.group_id},
    )


@transaction.atomic
def mentorship_assign(
    *,
    actor: Actor | None,
    mentor: Person,
    pupil: Person,
    unit: SchoolUnit,
    start_date: dt.date,
    end_date: dt.date | None = None,
    external_id: str | None = None,
) -> Mentorship:
    mentorship = Mentorship.objects.create(
        mentor=mentor,
        pupil=pupil,
        unit=unit,
        start_date=start_date,
        end_date=end_date,
        external_id=external_id,
    )
    audit_record(
        code="organisation.mentorship.assigned",
        actor=actor,
        obj=mentorship,
        pupil_id=pupil.pk,
        unit_id=unit.pk,
        data={"mentor_id": mentor.pk},
    )
    return mentorship


@transaction.atomic
def mentorship_end(*, actor: Actor | None, mentorship: Mentorship, end_date: dt.date) -> None:
    mentorship.end_date = end_date
    mentorship.save(update_fields=["end_date", "updated_at"])
    audit_record(
        code="organisation.mentorship.ended",
        actor=actor,
        obj=mentorship,
        pupil_id=mentorship.pupil_id,
        unit_id=mentorship.unit_id,
        data={"mentor_id": mentorship.mentor_id},
    )
