"""Persons and guardianships."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from elevstod.audit.services import audit_record
from elevstod.core.actors import Actor

from ..civic import civic_number_normalize
from ..models import Guardianship, Person
from .changes import changed


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


PERSON_SYNCED_FIELDS = (
    "given_name",
    "family_name",
    "civic_number",
    "security_marking",
    "email",
    "eppn",
    "external_id",
)


@transaction.atomic
def person_update(*, actor: Actor | None, person: Person, **changes: object) -> list[str]:
    """Change the person's synchronised fields; returns the names of those that changed."""
    unknown = set(changes) - set(PERSON_SYNCED_FIELDS)
    if unknown:
        raise ValueError(f"not a synchronised field: {sorted(unknown)}")
    if changes.get("civic_number"):
        changes["civic_number"] = civic_number_normalize(str(changes["civic_number"]))
    names = changed(person, changes)
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
def guardianship_end(*, actor: Actor | None, link: Guardianship, end_date: dt.date) -> None:
    """The guardian stops being the pupil's guardian after ``end_date`` (kept, not deleted)."""
    link.end_date = end_date
    link.save(update_fields=["end_date", "updated_at"])
    audit_record(
        code="organisation.guardianship.ended",
        actor=actor,
        obj=link,
        pupil_id=link.pupil_id,
        data={"guardian_id": link.guardian_id, "end_date": end_date.isoformat()},
    )
