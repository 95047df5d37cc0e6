"""Reads for the administrator's page: runs, the progress of running ones, where a person's data
came from. Persons with protected identity are never listed here."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from elevstod.audit.services import access_log_record
from elevstod.core.actors import AnyUser
from elevstod.organisation.models import Person

from .access import sources_administered_by
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
    person: Person
    source: Source
    external_id: str
    changed_at: object


def person_origins(*, actor: AnyUser, query: str, path: str = "") -> list[Origin]:
    """Persons by name or SS 12000 id, with the source, id and last change; each shown person
    is logged as read."""
    sources = list(sources_administered_by(actor))
    query = query.strip()
    if len(query) < 2:
        return []
    people = Person.objects.filter(
        Q(given_name__icontains=query) | Q(family_name__icontains=query) | Q(external_id=query),
        security_marking=Person.SecurityMarking.NONE,
    )
    records = (
        SourceRecord.objects.filter(
            source__in=sources, kind="persons", object_id__in=people.values("pk")
        )
        .select_related("source")
        .order_by("external_id")[:LOOKUP_LIMIT]
    )
    by_pk = {p.pk: p for p in Person.objects.filter(pk__in=[r.object_id for r in records])}
    found = [
        Origin(by_pk[r.object_id], r.source, r.external_id, r.changed_at)
        for r in records
        if r.object_id in by_pk
    ]
    for origin in found:
        access_log_record(
            actor=actor,
            pupil_id=origin.person.pk,
            purpose="imports.people.lookup",
            reasons=["ADMINISTRATOR"],
            granted=True,
            path=path,
        )
    return found
