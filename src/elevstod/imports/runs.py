"""One synchronisation from start to end: the entity kinds in order, a batch at a time, then what
ends (with the truncation guard), then the run's record."""

from __future__ import annotations

import functools
import itertools
import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol, TypeVar

from django.db import DatabaseError, connection, connections, transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from elevstod.core.actors import Actor
from elevstod.core.bulk import tables_analyze
from elevstod.core.timeutil import today
from elevstod.organisation.models import (
    Duty,
    Group,
    GroupMembership,
    Guardianship,
    Mentorship,
    Person,
    Placement,
    SchoolUnit,
    TeachingAssignment,
)

from . import hooks, services
from .mapping import CHILDREN, KINDS, Importer
from .models import ImportRun, SourceRecord
from .pipeline import prepared

logger = logging.getLogger(__name__)
BATCH = 1000
# A group brings its memberships (a class 25 or more): 1,000 groups were 25,000 memberships a
# batch, and the batches read ahead held most of a run's memory.
BATCHES = {"groups": 200}
# A unit this small is not guarded: one pupil leaving a unit of three is not a truncated export.
GUARD_MIN_PUPILS = 5
# Ended children first, then what they came with.
END_ORDER = (
    "teaching",
    "mentorship",
    "membership",
    "activities",
    "groups",
    "duties",
    "placement",
    "guardianship",
    "persons",
    "organisations",
)

# The tables each kind fills; their statistics are refreshed after 1,000 records of the kind,
# then each time the count has grown fourfold (``core.bulk.tables_analyze``): often enough that
# the planner never takes a grown table for an empty one, and at 100,000 persons 4 passes over
# the persons' tables where doubling made 7 (about 6 s of a 40 s run, the statistics of the
# big tables sampled again and again).
GROWING: dict[str, tuple[type[Any], ...]] = {
    "persons": (SourceRecord, Person, Placement, Guardianship),
    "duties": (SourceRecord, Duty),
    "groups": (SourceRecord, Group, GroupMembership),
    "activities": (SourceRecord,),
}
ANALYZE_FIRST, ANALYZE_GROWTH = 1000, 4

Progress = Callable[[str, int], None]
_T = TypeVar("_T")


def batched(items: Iterable[_T], size: int) -> Iterator[list[_T]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


class Data(Protocol):
    """What a source delivers: the records of each kind, streamed, and the deleted ids."""

    def records(self, kind: str) -> Iterator[Any]: ...

    def deleted(self) -> dict[str, list[str]]: ...


class SourceError(Exception):
    """The source as a whole failed (unreachable, refused, broken): the run fails, nothing ends."""

    def __init__(self, reason: Promise | str) -> None:
        super().__init__(str(reason))
        self.reason = reason

    def swedish(self) -> str:
        with translation.override("sv"):
            return str(self.reason)


def run_execute(
    *,
    run: ImportRun,
    data: Data,
    full: bool,
    actor: Actor | None,
    progress: Progress | None = None,
) -> ImportRun:
    importer = Importer(run=run, actor=actor, today=today())
    try:
        for kind in KINDS:
            _import_kind(importer, run, kind, data.records(kind), progress)
            if kind == "persons":
                importer.resolve_deferred_guardians()
        deleted = data.deleted()
    except SourceError as error:
        _keep_guarded(importer)
        return _finish(importer, actor, ImportRun.Status.FAILED, error.swedish())
    ending = _to_end(importer, full=full, deleted=deleted)
    ending += [r for r in importer.guarded if r.pk not in {e.pk for e in ending}]
    refused = [] if run.confirmed else _guard(run, ending)
    if refused:
        _keep_guarded(importer)
        with translation.override("sv"):
            message = _(
                "The run would end the placements or guardians of more than %(share)d %% of "
                "the pupils at %(units)s. Check the export, then confirm the run to end them."
            ) % {"share": round(run.source.truncation_share * 100), "units": ", ".join(refused)}
        return _finish(importer, actor, ImportRun.Status.AWAITING_CONFIRMATION, message)
    for kind in END_ORDER:
        records = [r for r in ending if r.kind == kind]
        for chunk in batched(records, BATCH):
            with transaction.atomic():
                importer.end_records(chunk)
    return _finish(importer, actor, ImportRun.Status.SUCCEEDED, "", advance=True)


def _import_kind(
    importer: Importer, run: ImportRun, kind: str, records: Iterator[Any], progress: Progress | None
) -> None:
    done, analyze_at = 0, ANALYZE_FIRST
    read = functools.partial(importer.prepare, kind)
    beside = _Beside()
    try:
        for ready in prepared(batched(records, BATCHES.get(kind, BATCH)), read):
            done += ready.size
            with transaction.atomic():  # the batch and the progress it makes: one commit
                commit_without_waiting()
                importer.batch(kind, [], ready)
                services.run_progress(run=run, kind=kind, done=done)
            if done >= analyze_at and kind in GROWING:  # grown since the planner last counted
                beside.run(functools.partial(tables_analyze, *GROWING[kind]))
                analyze_at *= ANALYZE_GROWTH
            if progress:
                progress(kind, done)
    finally:
        beside.wait()


class _Beside:
    """Work on the database beside the run, one piece at a time, in a thread on a connection of
    its own (PostgreSQL; elsewhere in the caller's thread): refreshing the statistics of the
    tables a kind grows (seconds at 100,000 persons) needs nothing of the batch's
    transaction, so the batches go on meanwhile instead of waiting for it."""

    def __init__(self) -> None:
        self.thread: threading.Thread | None = None

    def run(self, work: Callable[[], None]) -> None:
        if connection.vendor != "postgresql":
            work()
            return
        self.wait()
        self.thread = threading.Thread(target=_on_own_connection, args=(work,), daemon=True)
        self.thread.start()

    def wait(self) -> None:
        if self.thread is not None:
            self.thread.join()
            self.thread = None


def _on_own_connection(work: Callable[[], None]) -> None:
    try:
        work()
    except DatabaseError:  # only the planner's figures are late: the run goes on
        logger.warning("refreshing the statistics beside the import failed", exc_info=True)
    finally:
        connections.close_all()  # this thread's own


def commit_without_waiting() -> None:
    """The transaction's commit does not wait for its write to disk (PostgreSQL's
    ``synchronous_commit``, for this transaction only): a batch's commit waited for the disk
    (a tenth of a 100,000-person run's time). A crash of the database server then loses at
    most the last batches of a run still going, whole (never half a batch: the database stays
    consistent), and the run is left running, to be run again; the run's record is committed
    waiting, as before, which writes every batch before it to disk, so a finished run has
    all of its batches."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _to_end(importer: Importer, *, full: bool, deleted: dict[str, list[str]]) -> list[SourceRecord]:
    mine = SourceRecord.objects.filter(source=importer.source, ended=False)
    found: dict[int, SourceRecord] = {}
    if full:
        for rec in mine.exclude(seen_run_id=importer.run.pk).iterator():
            found[rec.pk] = rec
    for kind, ids in deleted.items():
        if kind not in KINDS or not ids:
            continue
        parents = mine.filter(kind=kind, external_id__in=ids)
        children = mine.filter(kind__in=CHILDREN.get(kind, ()), parent__in=ids)
        for rec in itertools.chain(parents, children):
            found[rec.pk] = rec
        if kind == "persons":
            pks = [r.object_id for r in parents if r.object_id]
            for rec in _records_of_people(mine, pks):
                found[rec.pk] = rec
    return list(found.values())


def _records_of_people(mine: Any, pks: list[int]) -> Iterator[SourceRecord]:
    """What a deleted person took part in through other records (groups, activities, duties,
    the pupils they were guardian of)."""
    rows: dict[str, QuerySet[Any]] = {
        "membership": GroupMembership.objects.filter(pupil_id__in=pks),
        "mentorship": Mentorship.objects.filter(pupil_id__in=pks)
        | Mentorship.objects.filter(mentor_id__in=pks),
        "teaching": TeachingAssignment.objects.filter(teacher_id__in=pks),
        "duties": Duty.objects.filter(person_id__in=pks),
        "guardianship": Guardianship.objects.filter(guardian_id__in=pks),
    }
    for kind, rows_of_kind in rows.items():
        yield from mine.filter(kind=kind, object_id__in=rows_of_kind.values("pk"))


def _keep_guarded(importer: Importer) -> None:
    """The run ends nothing: the records that no longer list a placement or guardian are
    read again next run (else, unchanged, they would keep them)."""
    parents = {r.parent for r in importer.guarded}
    if parents:
        SourceRecord.objects.filter(
            source=importer.source, kind="persons", external_id__in=parents
        ).update(digest="")


def _guard(run: ImportRun, ending: list[SourceRecord]) -> list[str]:
    """The units where the run would end more than the source's share of the active pupils:
    their placements, or their guardians (whether the record vanished or no longer lists
    them), a pupil counted once."""
    day = today()
    ids = [r.object_id for r in ending if r.kind == "placement" and r.object_id]
    links = [r.object_id for r in ending if r.kind == "guardianship" and r.object_id]
    wards = Guardianship.objects.current(day).filter(pk__in=links).values("pupil_id")
    pairs = set(Placement.objects.active(day).filter(pk__in=ids).values_list("unit_id", "pupil_id"))
    if links:
        pairs |= set(
            Placement.objects.active(day)
            .filter(pupil_id__in=wards)
            .values_list("unit_id", "pupil_id")
        )
    leaving = Counter(unit for unit, _pupil in pairs)
    if not leaving:
        return []
    placed = Counter(
        Placement.objects.active(day).filter(unit_id__in=leaving).values_list("unit_id", flat=True)
    )
    share = run.source.truncation_share
    over = [
        unit
        for unit, n in leaving.items()
        if placed[unit] >= GUARD_MIN_PUPILS and n > share * placed[unit]
    ]
    return list(SchoolUnit.objects.filter(pk__in=over).values_list("name", flat=True))


def _finish(
    importer: Importer, actor: Actor | None, status: str, message: str, advance: bool = False
) -> ImportRun:
    counts = {kind: dict(sorted(c.items())) for kind, c in sorted(importer.counts.items())}
    run = services.run_finish(
        actor=actor,
        run=importer.run,
        status=status,
        counts=counts,
        errors=importer.errors,
        errors_total=importer.errors_total,
        message=message,
        advance_watermark=advance and importer.run.kind != ImportRun.Kind.FILE,
    )
    if importer.ended_placements:
        hooks.placements_ended(importer.ended_placements)
    return run
