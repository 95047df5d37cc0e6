"""Who has seen this pupil: the log search for the principal (their unit's pupils) and the data
protection officer (the organiser's pupils, past and present). Reads and writes in one list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, F, Q, QuerySet, Value
from django.db.models.functions import Cast

from elevstod.core.models import active_on
from elevstod.organisation.access import scope_for
from elevstod.organisation.models import Person, Placement

from .models import AccessLogEntry, AuditEvent

MAX_EXPORT_ROWS = 50_000


@dataclass(frozen=True)
class LogScope:
    """Whose log rows the actor may search: a subquery of pupil ids, and why."""

    pupil_ids: QuerySet[Any]
    reason: str


def log_scope(actor: Any) -> LogScope | None:
    scope = scope_for(actor)
    if scope.dpo_organisers:
        ids = Placement.objects.filter(unit__organiser_id__in=scope.dpo_organisers)
        return LogScope(ids.values("pupil_id"), "DATA_PROTECTION_OFFICER")
    if scope.principal_units:
        ids = Placement.objects.filter(active_on(), unit_id__in=scope.principal_units)
        return LogScope(ids.values("pupil_id"), "PRINCIPAL")
    return None


@dataclass(frozen=True)
class LogQuery:
    pupil: str = ""
    staff: str = ""
    start: dt.date | None = None
    end: dt.date | None = None


def _people_matching(term: str) -> Q:
    q = Q()
    for word in term.split()[:4]:
        q &= Q(given_name__icontains=word) | Q(family_name__icontains=word)
    digits = "".join(ch for ch in term if ch.isdigit())
    if len(digits) >= 6:
        q = Q(civic_number__contains=digits)
    return q


def log_search(*, scope: LogScope, query: LogQuery) -> QuerySet[Any]:
    """Reads and writes about the pupils in scope, newest first, as rows with the same columns:
    occurred_at, kind, actor_id, actor_label, pupil_id, what, why, granted."""
    reads = AccessLogEntry.objects.filter(pupil_id__in=scope.pupil_ids)
    writes = AuditEvent.objects.filter(pupil_id__in=scope.pupil_ids)
    if query.pupil.strip():
        pupils = Person.objects.filter(_people_matching(query.pupil)).values("pk")
        reads, writes = reads.filter(pupil_id__in=pupils), writes.filter(pupil_id__in=pupils)
    if query.staff.strip():
        from elevstod.accounts.models import User

        term = query.staff.strip()
        users = User.objects.filter(
            Q(username__icontains=term)
            | Q(person__in=Person.objects.filter(_people_matching(term)))
        ).values("pk")
        reads, writes = reads.filter(actor_id__in=users), writes.filter(actor_id__in=users)
    if query.start:
        reads, writes = (
            reads.filter(occurred_at__date__gte=query.start),
            writes.filter(occurred_at__date__gte=query.start),
        )
    if query.end:
        reads, writes = (
            reads.filter(occurred_at__date__lte=query.end),
            writes.filter(occurred_at__date__lte=query.end),
        )
    columns = (
        "occurred_at",
        "kind",
        "actor_id",
        "actor_label",
        "pupil_id",
        "what",
        "why",
        "granted",
    )
    text: CharField[str, str] = CharField()
    read_rows = (
        reads.annotate(kind=Value("read", output_field=text), what=F("purpose"), why=F("reasons"))
        .order_by()
        .values(*columns)
    )
    write_rows = (
        writes.annotate(
            kind=Value("write", output_field=text),
            what=F("code"),
            why=Cast("object_type", output_field=text),
            granted=Value(True),
        )
        .order_by()
        .values(*columns)
    )
    return read_rows.union(write_rows, all=True).order_by("-occurred_at")


def pupil_names(ids: set[int]) -> dict[int, str]:
    return {p.pk: p.full_name for p in Person.objects.filter(pk__in=ids)}
