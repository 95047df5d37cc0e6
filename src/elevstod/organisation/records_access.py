"""The data protection officer's organiser-wide scope (DOMAIN.md §4): the records of every
pupil who is or was placed at one of the organiser's units, for records management only (the
log search, the register extract, disposal), never the pupil's pages. The reason is
``Reason.DATA_PROTECTION_OFFICER`` of the access layer, the duty is read from its ``Scope``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from elevstod.core.actors import AnyUser
from elevstod.core.errors import AccessDenied

from .access import Reason, scope_for
from .models import Placement


@dataclass(frozen=True)
class OrganiserRecords:
    """The data protection officer's organiser-wide standing: the organisers, and whose records
    it covers (every pupil who is or was placed at one of their units)."""

    organiser_ids: frozenset[int]
    reason: str = Reason.DATA_PROTECTION_OFFICER

    @property
    def pupil_ids(self) -> QuerySet[Any]:
        """A subquery of the pupil ids covered, past placements included."""
        placements = Placement.objects.filter(unit__organiser_id__in=self.organiser_ids)
        return placements.values("pupil_id")


def access_organiser_records(
    *, actor: AnyUser, organiser_pk: int | None = None, pupil_pk: int | None = None
) -> OrganiserRecords:
    """The one rule of the data protection officer's organiser-wide scope (DOMAIN.md §4): the
    organisers where ``actor`` holds the duty today, narrowed to ``organiser_pk``; with
    ``pupil_pk``, only when that pupil is or was placed at one of their units. Raises
    ``AccessDenied`` otherwise (a principal, a teacher, the officer of another organiser)."""
    organisers = scope_for(actor).dpo_organisers
    if organiser_pk is not None:
        organisers = organisers & {organiser_pk}
    if not organisers:
        raise AccessDenied()
    records = OrganiserRecords(organisers)
    if pupil_pk is not None and not records.pupil_ids.filter(pupil_id=pupil_pk).exists():
        raise AccessDenied()
    return records
