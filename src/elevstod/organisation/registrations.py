"""What the organisation app contributes to others: its sections of the register extract (the
pupil's record, placements, group memberships, guardians and mentors)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models

from elevstod.audit.registry import ExtractSection, register_extract_section, rows_of

from .models import GroupMembership, Guardianship, Mentorship, Person, Placement

PERSON_FIELDS = (
    "given_name",
    "family_name",
    "civic_number",
    "security_marking",
    "email",
    "mobile",
    "address",
    "eppn",
    "external_id",
)


def _pupil(pupil: Person) -> dict[str, Any]:
    return {name: getattr(pupil, name) for name in PERSON_FIELDS} | {"id": pupil.pk}


def _guardians(pupil: Person) -> list[dict[str, Any]]:
    return [
        {
            "id": g.guardian_id,
            "name": g.guardian.full_name,
            "custody": g.custody,
            "end_date": g.end_date,
        }
        for g in Guardianship.objects.filter(pupil=pupil).select_related("guardian").order_by("pk")
    ]


def _rows_of(model: type[models.Model]) -> Callable[[Person], list[dict[str, Any]]]:
    return lambda pupil: rows_of(model._default_manager.filter(pupil=pupil))


for section in (
    ExtractSection("pupil", 0, _pupil, (Person,)),
    ExtractSection("placements", 10, _rows_of(Placement), (Placement,)),
    ExtractSection("group_memberships", 20, _rows_of(GroupMembership), (GroupMembership,)),
    ExtractSection("guardians", 30, _guardians, (Guardianship,)),
    ExtractSection("mentors", 40, _rows_of(Mentorship), (Mentorship,)),
):
    register_extract_section(section)
