"""Reads for the administrator's page: runs, the progress of running ones, where a person's data
came from (every person of the organiser, imported or not). Persons with protected identity are
never listed here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from elevstod.audit.services import access_log_record_many
from elevstod.core.actors import AnyUser
from elevstod.organisation.models import Duty, Guardianship, Person, Placement

from .access import organisers_administered_by, sources_administered_by
from .models import ImportRun, Source, SourceRecord

ACTIVE = (ImportRun.Status.QUEUED, ImportRun.Status.RUNNING)
LOOKUP_LIMIT = 20


def run_list(*, actor: AnyUser, limit: int = 30) -> QuerySet[ImportRun]:
    sources = sources_administered_by(actor)
    return ImportRun.objects.filter(source__in=sources).select_related("source")[:limit]


def running_list(*, actor: AnyUser) -> list[ImportRun]:
    sources = sources_administered_by(actor)
    return list(
        ImportRun.objects.filter(source__in=sources, status__in=ACTIVE).select_related("source")
    )


@dataclass(frozen=True)
class Origin:
    """A person and where their data came from; no source when nothing imported them."""

    person: Person
    source: Source | None
    external_id: str
    changed_at: object


def _people_of(organisers: QuerySet[Any, Any], sources: list[Source]) -> QuerySet[Person]:
    """Every person of the organisers: placed at, on duty at, guardian of a pupil placed at one
    of their units, or imported from one of their sources."""
    return Person.objects.filter(
        Q(pk__in=Placement.objects.filter(unit__organiser_id__in=organisers).values("pupil_id"))
        | Q(pk__in=Duty.objects.filter(organiser_id__in=organisers).values("person_id"))
        | Q(
            pk__in=Guardianship.objects.filter(
                pupil__placements__unit__organiser_id__in=organisers
            ).values("guardian_id")
        )
        | Q(
            pk__in=SourceRecord.objects.filter(
                source__in=sources, kind="persons", object_id__isnull=False
            ).values("object_id")
        )
    )


def person_origins(*, actor: AnyUser, query: str, path: str = "") -> list[Origin]:
    """The organiser's persons by name or SS 12000 id, with the source, id and last change
    (none for a person no source brought); each shown person is logged as read."""
    organisers = organisers_administered_by(actor)
    sources = list(sources_administered_by(actor))
    query = query.strip()
    if len(query) < 2:
        return []
    people = list(
        _people_of(organisers, sources).filter(
            Q(given_name__icontains=query) | Q(family_name__icontains=query) | Q(external_id=query),
            security_marking=Person.SecurityMarking.NONE,
        )[:LOOKUP_LIMIT]
    )
    records = {
        r.object_id: r
        for r in SourceRecord.objects.filter(
            source__in=sources, kind="persons", object_id__in=[p.pk for p in people]
        ).select_related("source")
    }
    found = [_origin(person, records.get(person.pk)) for person in people]
    access_log_record_many(
        actor=actor,
        pupil_ids=[origin.person.pk for origin in found],
        purpose="imports.people.lookup",
        reasons=["ADMINISTRATOR"],
        granted=True,
        path=path,
    )
    return found


def _origin(person: Person, record: SourceRecord | None) -> Origin:
    if record is None:
        return Origin(person, None, person.external_id or "", None)
    return Origin(person, record.source, record.external_id, record.changed_at)
