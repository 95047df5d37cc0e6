"""Writing to the audit and access logs. Only these functions write there."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import connection, models
from django.utils import timezone

from elevstod.core.actors import AnyUser
from elevstod.core.bulk import rows_append, rows_insert

from .chain import FIELDS, KEYED, append_chained, link, link_many
from .models import AccessLogEntry, AuditEvent

# The events of an ``audit_deferred`` block, written when it ends.
_deferred: ContextVar[list[AuditEvent] | None] = ContextVar("audit_deferred", default=None)


def actor_label(actor: AnyUser | None) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "system"
    person = getattr(actor, "person", None)
    name = person.full_name if person is not None else ""
    return f"{actor.get_username()} ({name})" if name else str(actor.get_username())


def audit_record(
    *,
    code: str,
    actor: AnyUser | None,
    obj: models.Model | None = None,
    pupil_id: int | None = None,
    unit_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit event. Must run inside the service's transaction, so that the change and
    its audit row are committed together or not at all."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must be called inside the service's transaction")
    event = AuditEvent(
        code=code,
        actor_id=getattr(actor, "pk", None),
        actor_label=actor_label(actor),
        pupil_id=pupil_id,
        unit_id=unit_id,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data=data or {},
    )
    deferred = _deferred.get()
    if deferred is not None:
        deferred.append(event)
        return event
    link(event)
    event.save(force_insert=True)
    return event


def audit_record_pupils(
    *, code: str, actor: AnyUser | None, pupil_ids: Iterable[int], data: dict[str, Any]
) -> None:
    """One event per pupil (so that the log search for a pupil finds it), with the same
    ``data``, written in one insert: for a bulk writer that changed many pupils at once."""
    events = [
        AuditEvent(
            code=code,
            actor_id=getattr(actor, "pk", None),
            actor_label=actor_label(actor),
            pupil_id=pupil_id,
            data=data,
        )
        for pupil_id in sorted(set(pupil_ids))
    ]
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record_pupils must be called inside the service's transaction")
    deferred = _deferred.get()
    if deferred is not None:
        deferred.extend(events)
        return
    _events_insert(events)


@contextmanager
def audit_deferred() -> Iterator[list[AuditEvent]]:
    """Inside one transaction: the events ``audit_record`` makes in the block are kept and
    written when it ends, chained in the order they were made, in one insert (one lock of the
    chain, one read of its head, for a bulk writer's batch). The list is the events kept so
    far: a caller that rolls back a savepoint inside the block drops those it made there. An
    exception discards them, with the transaction it rolls back."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit_deferred must be used inside the service's transaction")
    events: list[AuditEvent] = []
    token = _deferred.set(events)
    try:
        yield events
    finally:
        _deferred.reset(token)
    _events_insert(events)


_EVENT_COLUMNS = [*FIELDS["audit_auditevent"], "prev_hash", "hash", "hash_version"]


def _events_insert(events: list[AuditEvent]) -> None:
    """Chain the events in their order and write them in one insert (``core.bulk``: by COPY
    on PostgreSQL, where an ``INSERT`` of a batch's thousands of events was most of the
    import's own time, spent building the statement's parameters). The events get no ids
    (nothing reads them after the write)."""
    if not events:
        return
    link_many(events)
    # numbered by the table's sequence in their order, under the chain's lock (``link``)
    values = [tuple(getattr(e, c) for c in _EVENT_COLUMNS) for e in events]
    rows_insert(AuditEvent, _EVENT_COLUMNS, values, ids=False)


def access_log_record(
    *,
    actor: AnyUser | None,
    pupil_id: int | None,
    purpose: str,
    reasons: Iterable[str],
    granted: bool,
    path: str = "",
) -> None:
    """Log one read (or refused read) of a pupil's data. Written outside any page transaction,
    so a refused read is logged even when the request then fails."""
    _access_log_append(
        actor=actor,
        rows=[(pupil_id, ",".join(sorted(reasons)))],
        purpose=purpose,
        granted=granted,
        path=path,
    )


def access_log_record_many(
    *,
    actor: AnyUser | None,
    pupil_ids: Iterable[int],
    purpose: str,
    reasons: Iterable[str],
    granted: bool,
    path: str = "",
) -> None:
    """Log the read of several pupils' data at once (a list of persons shown): one row each,
    chained like ``access_log_record`` writes them, in one insert."""
    kept = frozenset(reasons)
    access_log_record_each(
        actor=actor,
        reads=[(pupil_id, kept) for pupil_id in pupil_ids],
        purpose=purpose,
        granted=granted,
        path=path,
    )


def access_log_record_each(
    *,
    actor: AnyUser | None,
    reads: Iterable[tuple[int, Iterable[str]]],
    purpose: str,
    granted: bool,
    path: str = "",
) -> None:
    """``access_log_record_many`` for pupils read on different bases: one row per (pupil id,
    reasons), in their order, all of the same moment, chained in one pass and written in one
    insert (``rows_append``: what the rows share sent once; ``chain.append_chained``)."""
    _access_log_append(
        actor=actor,
        rows=[(pupil_id, ",".join(sorted(reasons))) for pupil_id, reasons in reads],
        purpose=purpose,
        granted=granted,
        path=path,
    )


def _access_log_append(
    *,
    actor: AnyUser | None,
    rows: list[tuple[int | None, str]],
    purpose: str,
    granted: bool,
    path: str,
) -> None:
    if not rows:
        return
    shared: dict[str, Any] = {
        "occurred_at": timezone.now(),
        "actor_id": getattr(actor, "pk", None),
        "actor_label": actor_label(actor),
        "purpose": purpose,
        "granted": granted,
        "path": path[:300],
        "hash_version": KEYED,
    }
    contents = [{**shared, "pupil_id": pk, "reasons": reasons} for pk, reasons in rows]

    def write(links: list[tuple[str, str]], only_if_free: int | None) -> bool:
        return rows_append(
            AccessLogEntry,
            shared,
            ("pupil_id", "reasons", "prev_hash", "hash"),
            [(*row, *pair) for row, pair in zip(rows, links, strict=True)],
            only_if_free=only_if_free,
        )

    append_chained(AccessLogEntry, contents, write)
