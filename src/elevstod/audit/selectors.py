"""Who has seen this pupil: the log search for the principal (their unit's pupils) and the data
protection officer (the organiser's pupils, past and present). Reads and writes in one list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, F, Q, QuerySet, Value

from elevstod.core.actors import AnyUser
from elevstod.core.errors import AccessDenied
from elevstod.core.models import active_on
from elevstod.organisation.access import Reason, scope_for
from elevstod.organisation.civic import civic_number_display
from elevstod.organisation.models import Person, Placement
from elevstod.organisation.records_access import access_organiser_records

from .labels import event_label, purpose_label, reasons_label
from .models import AccessLogEntry, AuditEvent

MAX_EXPORT_ROWS = 50_000
EXPORT_CHUNK = 2_000


@dataclass(frozen=True)
class LogScope:
    """Whose log rows the actor may search: a subquery of pupil ids, and why."""

    pupil_ids: QuerySet[Any]
    reason: str


def log_scope(actor: AnyUser) -> LogScope | None:
    try:
        records = access_organiser_records(actor=actor)
        return LogScope(records.pupil_ids, records.reason)
    except AccessDenied:
        pass
    principal_units = scope_for(actor).principal_units
    if principal_units:
        ids = Placement.objects.filter(active_on(), unit_id__in=principal_units)
        return LogScope(ids.values("pupil_id"), Reason.PRINCIPAL)
    return None


@dataclass(frozen=True)
class LogQuery:
    pupil: str = ""
    staff: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    until: dt.datetime | None = None  # an export reads the log as it was when it started


def _people_matching(term: str) -> Q:
    q = Q()
    for word in term.split()[:4]:
        q &= Q(given_name__icontains=word) | Q(family_name__icontains=word)
    digits = "".join(ch for ch in term if ch.isdigit())
    if len(digits) >= 6:
        q = Q(civic_number__contains=digits)
    return q


def _filtered(scope: LogScope, query: LogQuery) -> tuple[QuerySet[Any], QuerySet[Any]]:
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
        reads = reads.filter(occurred_at__date__gte=query.start)
        writes = writes.filter(occurred_at__date__gte=query.start)
    if query.end:
        reads = reads.filter(occurred_at__date__lte=query.end)
        writes = writes.filter(occurred_at__date__lte=query.end)
    if query.until:
        reads = reads.filter(occurred_at__lte=query.until)
        writes = writes.filter(occurred_at__lte=query.until)
    return reads, writes


COLUMNS = (
    "id",
    "occurred_at",
    "kind",
    "actor_id",
    "actor_label",
    "pupil_id",
    "what",
    "why",
    "granted",
    "object_type",
    "object_id",
)


def log_search(*, scope: LogScope, query: LogQuery) -> QuerySet[Any]:
    """Reads and writes about the pupils in scope, newest first, as rows with the same
    ``COLUMNS``: what is the purpose of a read or the code of a change, why the reasons of a
    read (codes; ``LogRow`` has them in words)."""
    reads, writes = _filtered(scope, query)
    text: CharField[str, str] = CharField()
    read_rows = (
        reads.annotate(
            kind=Value("read", output_field=text),
            what=F("purpose"),
            why=F("reasons"),
            object_type=Value("", output_field=text),
            object_id=Value("", output_field=text),
        )
        .order_by()
        .values(*COLUMNS)
    )
    write_rows = (
        writes.annotate(
            kind=Value("write", output_field=text),
            what=F("code"),
            why=Value("", output_field=text),
            granted=Value(True),
        )
        .order_by()
        .values(*COLUMNS)
    )
    rows: QuerySet[Any] = read_rows.union(write_rows, all=True)
    return rows.order_by("-occurred_at", "kind", "-id")


@dataclass(frozen=True)
class LogRow:
    """One row of the log as the principal and the data protection officer read it."""

    occurred_at: dt.datetime
    kind: str
    actor_label: str
    pupil_id: int | None
    pupil_name: str
    civic_number: str
    what: str
    what_label: str
    why: str
    why_label: str
    granted: bool
    object_type: str
    object_id: str


def _pupils(ids: set[int]) -> dict[int, Person]:
    people = Person.objects.filter(pk__in=ids).only("given_name", "family_name", "civic_number")
    return {p.pk: p for p in people}


def log_rows(rows: Iterable[dict[str, Any]]) -> list[LogRow]:
    """The rows with the pupils' names and personal identity numbers (one query for all of
    them) and the codes in words."""
    rows = list(rows)
    pupils = _pupils({r["pupil_id"] for r in rows if r["pupil_id"]})
    out = []
    for r in rows:
        pupil = pupils.get(r["pupil_id"])
        read = r["kind"] == "read"
        out.append(
            LogRow(
                occurred_at=r["occurred_at"],
                kind=r["kind"],
                actor_label=r["actor_label"],
                pupil_id=r["pupil_id"],
                pupil_name=pupil.full_name if pupil else "",
                civic_number=civic_number_display(pupil.civic_number) if pupil else "",
                what=r["what"],
                what_label=purpose_label(r["what"]) if read else event_label(r["what"]),
                why=r["why"],
                why_label=reasons_label(r["why"]),
                granted=r["granted"],
                object_type=r["object_type"],
                object_id=r["object_id"],
            )
        )
    return out
