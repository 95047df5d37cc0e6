"""Applying SS 12000 records to the organisation, a batch at a time, through its services.

``Importer.batch(kind, records)`` applies one batch in one transaction; each record in a
savepoint, so a bad record is reported (entity, id, reason in Swedish) and the others are kept.
Upsert is by the SS 12000 id; a record whose digest has not changed since the last run is not
touched. What a record no longer lists (an enrolment, a membership, a teacher) is ended, never
deleted; ``sweep`` ends what a full run did not see at all, ``delete`` what the source reports
as deleted. Nothing here touches a pupil's support.

What the kinds share is in ``batch``; each kind's records are applied in its own module.
"""

from __future__ import annotations

from .activities import ActivitiesMapping
from .batch import CHILDREN, KINDS, MAX_ERRORS_KEPT
from .duties import DutiesMapping
from .groups import GroupsMapping
from .persons import PersonsMapping
from .roles import ROLES
from .units import UnitsMapping

__all__ = ["CHILDREN", "KINDS", "MAX_ERRORS_KEPT", "ROLES", "Importer"]


class Importer(UnitsMapping, PersonsMapping, DutiesMapping, GroupsMapping, ActivitiesMapping):
    """One run's importer: ``batch`` per kind in ``KINDS`` order (``resolve_deferred_guardians``
    after the persons), then ``end_records`` for what the run ends."""
