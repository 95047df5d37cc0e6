"""Writes to the organisation: each is one transaction with its audit event.

The demo loader uses these today and the SS 12000 importer will tomorrow; nothing else writes
organisation data.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from elevstod.audit.services import audit_record
from elevstod.core.actors import Actor

from .civic import civic_number_normalize
from .models import (
    Duty,
    Group,
    GroupMembership,
    Guardianship,
    Mentorship,
    Organiser,
    Person,
    Placement,
    SchoolUnit,
    Subject,
    TeachingAssignment,
)


@transaction.atomic
def organiser_create(
    *,
    actor: Actor | None,
    name: str,
    kind: str,
    organisation_number: str = "",
    external_id: str | None = None,
) -> Organiser:
    organiser = Organiser.objects.create(
        name=name, kind=kind, organisation_number=organisation_number, external_id=external_id
    )
    audit_record(
        code="organisation.organiser.created", actor=actor, obj=organiser, data={"name": name}
    )
    return organiser


@transaction.atomic
def unit_create(
    *,
    actor: Actor | None,
    organiser: Organiser,
    name: str,
    school_unit_code: str,
    support_module_enabled: bool,
    municipality_code: str = "",
    external_id: str | None = None,
) -> SchoolUnit:
    unit = SchoolUnit.objects.create(
        organiser=organiser,
        name=name,
        school_unit_code=school_unit_code,
        support_module_enabled=support_module_enabled,
        municipality_code=municipality_code,
        external_id=external_id,
    )
    audit_record(
        code="organisation.unit.created",
        actor=actor,
        obj=unit,
        unit_id=unit.pk,
        data={"name": name, "support_module_enabled": support_module_enabled},
    )
    return unit


@transaction.atomic
def unit_set_support_module(*, actor: Actor | None, unit: SchoolUnit, enabled: bool) -> SchoolUnit:
    unit.support_module_enabled = enabled
    unit.save(update_fields=["support_module_enabled", "updated_at"])
    audit_record(
        code="organisation.unit.support_module_changed",
        actor=actor,
        obj=unit,
        unit_id=unit.pk,
        data={"enabled": enabled},
    )
    return unit


@transaction.atomic
def subject_create(*, actor: Actor | None, code: str, name: str) -> Subject:
    subject = Subject.objects.create(code=code, name=name)
    audit_record(code="organisation.subject.created", actor=actor, obj=subject, data={"code": code})
    return subject


@transaction.atomic
def person_create(
    *,
    actor: Actor | None,
    given_name: str,
    family_name: str,
    civic_number: str | None = None,
    security_marking: str = Person.SecurityMarking.NONE,
    email: str = "",
    mobile: str = "",
    address: str = "",
    eppn: str = "",
    external_id: str | None = None,
) -> Person:
    person = Person.objects.create(
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        civic_number=civic_number_normalize(civic_number) if civic_number else None,
        security_marking=security_marking,
        email=email,
        mobile=mobile,
        address=address,
        eppn=eppn,
        external_id=external_id,
    )
    audit_record(
        code="organisation.person.created",
        actor=actor,
        obj=person,
        data={"security_marking": security_marking},
    )
    return person


@transaction.atomic
def guardianship_add(
    *, actor: Actor | None, guardian: Person, pupil: Person, custody: bool = True
) -> Guardianship:
    link = Guardianship.objects.create(guardian=guardian, pupil=pupil, custody=custody)
    audit_record(
        code="organisation.guardianship.added",
        actor=actor,
        obj=link,
        pupil_id=pupil.pk,
        data={"guardian_id": guardian.pk, "custody": custody},
    )
    return link


@transaction.atomic
def placement_start(
    *,
    actor: Actor | None,
    pupil: Person,
    unit: SchoolUnit,
    school_year: int,
    start_date: dt.date,
    external_id: str | None = None,
) -> Placement:
    placement = Placement.objects.create(
        pupil=pupil,
        unit=unit,
        school_year=school_year,
        start_date=start_date,
        external_id=external_id,
    )
    audit_record(
        code="organisation.placement.started",
        actor=actor,
        obj=placement,
        pupil_id=pupil.pk,
        unit_id=unit.pk,
        data={"school_year": school_year},
    )
    return placement


@transaction.atomic
def placement_end(*, actor: Actor | None, placement: Placement, end_date: dt.date) -> Placement:
    placement.end_date = end_date
    placement.save(update_fields=["end_date", "updated_at"])
    audit_record(
        code="organisation.placement.ended",
        actor=actor,
        obj=placement,
        pupil_id=placement.pupil_id,
        unit_id=placement.unit_id,
        data={"end_date": end_date.isoformat()},
    )
    return placement


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
def mentorship_assign(
    *,
    actor: Actor | None,
    mentor: Person,
    pupil: Person,
    unit: SchoolUnit,
    start_date: dt.date,
    external_id: str | None = None,
) -> Mentorship:
    mentorship = Mentorship.objects.create(
        mentor=mentor, pupil=pupil, unit=unit, start_date=start_date, external_id=external_id
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


# Changes brought by a synchronisation with the school's information system (SS 12000). The audit
# events name the fields that changed, never their values.

PERSON_SYNCED_FIELDS = (
    "given_name",
    "family_name",
    "civic_number",
    "security_marking",
    "email",
    "eppn",
    "external_id",
)


def _changed(obj: object, changes: dict[str, object]) -> list[str]:
    names = [name for name, value in changes.items() if getattr(obj, name) != value]
    for name in names:
        setattr(obj, name, changes[name])
    return sorted(names)


@transaction.atomic
def person_update(*, actor: Actor | None, person: Person, **changes: object) -> list[str]:
    """Change the person's synchronised fields; returns the names of those that changed."""
    unknown = set(changes) - set(PERSON_SYNCED_FIELDS)
    if unknown:
        raise ValueError(f"not a synchronised field: {sorted(unknown)}")
    if changes.get("civic_number"):
        changes["civic_number"] = civic_number_normalize(str(changes["civic_number"]))
    names = _changed(person, changes)
    if names:
        person.save(update_fields=[*names, "updated_at"])
        audit_record(
            code="organisation.person.updated",
            actor=actor,
            obj=person,
            data={"fields": names, "security_marking": person.security_marking},
        )
    return names


@transaction.atomic
def unit_update(
    *, actor: Actor | None, unit: SchoolUnit, name: str, external_id: str | None
) -> list[str]:
    names = _changed(unit, {"name": name, "external_id": external_id})
    if names:
        unit.save(update_fields=[*names, "updated_at"])
        audit_record(
            code="organisation.unit.updated",
            actor=actor,
            obj=unit,
            unit_id=unit.pk,
            data={"fields": names},
        )
    return names


@transaction.atomic
def placement_change_year(*, actor: Actor | None, placement: Placement, school_year: int) -> None:
    placement.school_year = school_year
    placement.save(update_fields=["school_year", "updated_at"])
    audit_record(
        code="organisation.placement.year_changed",
        actor=actor,
        obj=placement,
        pupil_id=placement.pupil_id,
        unit_id=placement.unit_id,
        data={"school_year": school_year},
    )


@transaction.atomic
def group_update(
    *, actor: Actor | None, group: Group, name: str, kind: str, school_year: int | None
) -> list[str]:
    names = _changed(group, {"name": name, "kind": kind, "school_year": school_year})
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
