"""Organisers, school units, subjects and pupils' placements at the units."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from elevstod.audit.services import audit_record
from elevstod.core.actors import Actor

from ..models import Organiser, Person, Placement, SchoolUnit, Subject
from .changes import changed


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
def unit_update(
    *, actor: Actor | None, unit: SchoolUnit, name: str, external_id: str | None
) -> list[str]:
    names = changed(unit, {"name": name, "external_id": external_id})
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
def subject_create(*, actor: Actor | None, code: str, name: str) -> Subject:
    subject = Subject.objects.create(code=code, name=name)
    audit_record(code="organisation.subject.created", actor=actor, obj=subject, data={"code": code})
    return subject


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
