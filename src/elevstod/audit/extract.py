"""Register extract (GDPR art. 15): everything Elevstöd stores about one pupil, as data that a
machine can read (JSON) and a person can read (a page). Only that pupil's rows.

The sections are declared by the apps that own the data (``registry.ExtractSection``); this
module only puts them together in their order."""

from __future__ import annotations

from typing import Any

from elevstod.core.actors import AnyUser
from elevstod.core.errors import AccessDenied
from elevstod.organisation.access import Reason, pupil_grant
from elevstod.organisation.models import Person
from elevstod.organisation.records_access import access_organiser_records

from .registry import extract_sections


def extract_reason(actor: AnyUser, pupil: Person) -> str | None:
    """Who may produce an extract: the principal of the pupil's unit, or the organiser's data
    protection officer for a pupil who is or was placed at one of its units."""
    if Reason.PRINCIPAL in pupil_grant(actor, pupil).reasons:
        return Reason.PRINCIPAL
    try:
        return access_organiser_records(actor=actor, pupil_pk=pupil.pk).reason
    except AccessDenied:
        return None


def register_extract(pupil: Person) -> dict[str, Any]:
    return {section.name: section.rows(pupil) for section in extract_sections()}
