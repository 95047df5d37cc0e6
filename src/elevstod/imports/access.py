"""Who works with the SS 12000 sources: the organiser's administrators (an active ADMINISTRATOR
duty at one of its units). Nobody else, not even the principal."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from elevstod.core.actors import AnyUser
from elevstod.core.errors import AccessDenied
from elevstod.core.models import active_on
from elevstod.organisation.models import Duty

from .models import Source


def organisers_administered_by(actor: AnyUser) -> QuerySet[Duty, Any]:
    """The ids (``organiser_id``) of the organisers ``actor`` administers; raises AccessDenied
    if none."""
    person_id = getattr(actor, "person_id", None) if actor.is_authenticated else None
    if person_id is None:
        raise AccessDenied("not an administrator")
    duties = Duty.objects.filter(active_on(), person_id=person_id, role=Duty.Role.ADMINISTRATOR)
    if not duties.exists():
        raise AccessDenied("not an administrator")
    return duties.values("organiser_id")


def sources_administered_by(actor: AnyUser) -> QuerySet[Source]:
    """The sources of the organisers ``actor`` administers; raises AccessDenied if none."""
    organisers = organisers_administered_by(actor)
    return Source.objects.filter(organiser_id__in=organisers).select_related("organiser")
