"""What every kind shares: one batch in one transaction, the record of what each SS 12000
record became (``SourceRecord``, written in bulk at the end of the batch), and ending what a
record no longer lists (in bulk, ``organisation.services.bulk.periods_end``).

A kind with a ``_bulk_<kind>`` method (persons, duties, groups, activities) checks its records
first and writes them a kind at a time; a kind with only ``_apply_<kind>`` (organisations, and
mentor groups among the groups) is applied record by record, each in a savepoint."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from elevstod.audit.services import audit_deferred, audit_record_pupils
from elevstod.core.actors import Actor
from elevstod.core.bulk import rows_insert, rows_matching, rows_update
from elevstod.organisation.models import (
    Person,
    SchoolUnit,
)
from elevstod.organisation.services import bulk

from .. import parse
from ..models import ImportRun, Source, SourceRecord
from ..parse import RecordError
from ..pipeline import Prepared
from .references import References
from .roles import ROLES

KINDS = ("organisations", "persons", "duties", "groups", "activities")
CHILDREN = {
    "persons": ("placement", "guardianship"),
    "groups": ("membership", "mentorship"),
    "activities": ("teaching",),
}
MAX_ERRORS_KEPT = 5000
# What a record no longer lists and the truncation guard counts before it ends.
GUARDED = ("placement", "guardianship")
NEW_COLUMNS = [
    "source_id",
    "kind",
    "external_id",
    "parent",
    "object_id",
    "digest",
    "modified",
    "seen_run_id",
    "changed_run_id",
]
REMEMBERED = [
    "object_id",
    "digest",
    "modified",
    "ended",
    "seen_run_id",
    "changed_run_id",
    "changed_at",
]
_M = TypeVar("_M", bound=models.Model)

PARENT_KINDS = {child: parent for parent, children in CHILDREN.items() for child in children}
COUNT_NAMES = {
    "placement": "placements",
    "membership": "memberships",
    "mentorship": "mentorships",
    "teaching": "teaching",
    "guardianship": "guardianships",
}


def row_of(model: type[_M], rec: SourceRecord | None) -> _M | None:
    if rec is None or rec.object_id is None:
        return None
    return model._default_manager.filter(pk=rec.object_id).first()


class Batch(References):
    """The shared part of ``Importer``; each kind's ``_apply_<kind>`` is in its own module."""

    def __init__(self, *, run: ImportRun, actor: Actor | None, today: dt.date) -> None:
        self.run = run
        self.source: Source = run.source
        self.actor = actor
        self.today = today
        self.yesterday = today - dt.timedelta(days=1)
        self.counts: dict[str, Counter[str]] = defaultdict(Counter)
        self.errors: list[dict[str, str]] = []
        self.errors_total = 0
        self.ended_placements: list[int] = []
        self.deferred_guardians: list[tuple[str, int, str]] = []  # pupil ext, pupil pk, guardian
        # written at the batch's end: changed records, and new ones as rows (NEW_COLUMNS)
        self.pending: dict[tuple[str, str], SourceRecord | tuple[Any, ...]] = {}
        self.people: dict[str, Person] = {}  # the persons the batch refers to, by external id
        self.unit_rows: dict[int, SchoolUnit] = {}
        self.fresh: tuple[str, set[str]] = ("", set())  # the batch's kind, its new records
        self.read: dict[str, Any] = {}  # what ``prepare`` read of the batch's records, by id
        self.audit_events: list[Any] = []  # the batch's, written at its end (``audit_deferred``)
        # placements and guardianships a record no longer lists: ended with what vanished, after
        # the truncation guard has counted them (``runs``)
        self.guarded: list[SourceRecord] = []
        self.touched: set[int] = set()  # the pupils the batch changed, for ``trace_pupils``
        self.whole: list[str] = []  # records applied whole: what they no longer list ends
        self.partial: list[str] = []  # records with a refused part: nothing of theirs ends
        self.roles = {**ROLES, **(self.source.role_mapping or {})}
        self.units = dict(
            SchoolUnit.objects.filter(
                organiser=self.source.organiser, external_id__isnull=False
            ).values_list("external_id", "pk")
        )

    # reporting -------------------------------------------------------------------------------

    def fail(self, entity: str, ext: str, reason: Promise | str) -> None:
        self.counts[entity]["failed"] += 1
        self.errors_total += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            with translation.override("sv"):
                self.errors.append({"entity": entity, "id": ext, "reason": str(reason)})

    def count(self, entity: str, what: str, n: int = 1) -> None:
        if n:
            self.counts[entity][what] += n

    # the batch -------------------------------------------------------------------------------

    def prepare(self, kind: str, records: list[Any]) -> Prepared:
        """What a batch's records say, read without the database (``pipeline``): their ids,
        fingerprints and, for a kind with a ``_read_<kind>``, what that reads of each."""
        ready = Prepared(size=len(records))
        for record in records:
            try:
                ready.known[parse.record_id(record)] = record
            except RecordError as error:
                ext = str(record.get("id", "")) if isinstance(record, dict) else ""
                ready.refused.append((ext[:64], error.reason))
        ready.digests = {ext: parse.digest(record) for ext, record in ready.known.items()}
        read = getattr(self, f"_read_{kind}", None)
        if read is not None:
            ready.extra = {ext: read(ext, record) for ext, record in ready.known.items()}
        return ready

    def batch(self, kind: str, records: list[Any], ready: Prepared | None = None) -> None:
        ready = ready or self.prepare(kind, records)
        # one transaction (within the caller's, when there is one); its audit events in one write
        with transaction.atomic(savepoint=False), audit_deferred() as self.audit_events:
            for ext, reason in ready.refused:  # a record without a usable id
                self.fail(kind, ext, reason)
            known, self.read = ready.known, ready.extra
            existing = {
                r.external_id: r
                for r in rows_matching(
                    SourceRecord, "external_id", known, source_id=self.source.pk, kind=kind
                )
            }
            # records this source never sent before: nothing came with them yet
            self.fresh = (kind, {ext for ext in known if ext not in existing})
            digests = ready.digests
            unchanged = {
                ext
                for ext in known
                if ext in existing
                and not existing[ext].ended
                and existing[ext].digest == digests[ext]
            }
            if unchanged:
                self.count(kind, "unchanged", len(unchanged))
            changed = {ext: known[ext] for ext in known if ext not in unchanged}
            refused = self._apply_all(kind, changed, digests, existing)
            # what a refused record brought before stays
            kept = [*unchanged, *(ext for ext in refused if ext in existing)]
            self.flush(kind)
            self._mark_seen(kind, kept)
            self.fresh, self.read = ("", set()), {}

    def _apply_all(
        self,
        kind: str,
        changed: dict[str, Any],
        digests: dict[str, str],
        existing: dict[str, SourceRecord],
    ) -> set[str]:
        """Apply the changed records; returns the ids of those refused as a whole."""
        self.people = {}
        bulk_write = getattr(self, f"_bulk_{kind}", None)
        if bulk_write is not None:
            return set(bulk_write(changed, digests, existing))
        handler = getattr(self, f"_apply_{kind}")
        self._prefetch_people(changed.values())
        return {
            ext
            for ext, record in changed.items()
            if not self._apply(kind, handler, ext, record, digests[ext], existing)
        }

    def flush(self, kind: str) -> None:
        """Write the batch's source records, then end what its whole records no longer list
        and keep what the others brought."""
        new = [r for r in self.pending.values() if isinstance(r, tuple)]
        old = [r for r in self.pending.values() if isinstance(r, SourceRecord)]
        now = timezone.now()
        for rec in old:
            rec.changed_at = now
        rows_insert(SourceRecord, NEW_COLUMNS, new, ids=False)
        rows_update(
            SourceRecord, REMEMBERED, [(r.pk, *(getattr(r, c) for c in REMEMBERED)) for r in old]
        )
        self.pending = {}
        whole, self.whole = self.whole, []
        partial, self.partial = self.partial, []
        whole = [ext for ext in whole if ext not in self.fresh_parents(kind)]
        if whole and kind in CHILDREN:
            unseen = SourceRecord.objects.filter(
                source=self.source, kind__in=CHILDREN[kind], parent__in=whole, ended=False
            ).exclude(seen_run_id=self.run.pk)
            ending = list(unseen)
            self.guarded += [r for r in ending if r.kind in GUARDED]
            self.end_records(r for r in ending if r.kind not in GUARDED)
        self._mark_seen(kind, partial)

    def _apply(
        self,
        kind: str,
        handler: Callable[[str, Any], int | None],
        ext: str,
        record: Any,
        digest: str,
        existing: dict[str, SourceRecord],
    ) -> bool:
        """One record in its savepoint; False when it was refused as a whole."""
        pending, events = set(self.pending), len(self.audit_events)
        try:
            with transaction.atomic():
                errors_before = self.errors_total
                object_id = handler(ext, record)
                self.settle(kind, ext, object_id, digest, record, existing, errors_before)
        except RecordError as error:
            for key in set(self.pending) - pending:  # rolled back with the savepoint
                del self.pending[key]
            del self.audit_events[events:]
            self.fail(kind, ext, error.reason)
            return False
        return True

    def settle(
        self,
        kind: str,
        ext: str,
        object_id: int | None,
        digest: str,
        record: dict[str, Any],
        existing: dict[str, SourceRecord],
        errors_before: int,
    ) -> None:
        """Remember an applied record. One with a refused part is tried again next run, and
        ends nothing it brought before (a transient error ends no placement)."""
        whole = self.errors_total == errors_before
        self._remember(kind, ext, "", object_id, digest if whole else "", record, existing)
        (self.whole if whole else self.partial).append(ext)

    def _remember(
        self,
        kind: str,
        ext: str,
        parent: str,
        object_id: int | None,
        digest: str,
        record: dict[str, Any] | None,
        existing: dict[str, SourceRecord],
    ) -> None:
        modified = parse.modified_of(record) if record else None
        rec = existing.get(ext)
        if (
            rec is None or rec.pk is None
        ):  # a new one, as the columns ``flush`` writes (NEW_COLUMNS)
            run = self.run.pk
            new = (self.source.pk, kind, ext, parent, object_id, digest, modified, run, run)
            self.pending[(kind, ext)] = new
            return
        rec.object_id, rec.digest, rec.modified, rec.ended = object_id, digest, modified, False
        rec.seen_run_id = rec.changed_run_id = self.run.pk
        self.pending[(kind, ext)] = rec

    def _mark_seen(self, kind: str, exts: list[str]) -> None:
        if not exts:
            return
        mine = SourceRecord.objects.filter(source=self.source)
        mine.filter(kind=kind, external_id__in=exts).update(seen_run_id=self.run.pk)
        if kind in CHILDREN:
            mine.filter(kind__in=CHILDREN[kind], parent__in=exts, ended=False).update(
                seen_run_id=self.run.pk
            )

    def _children(self, kind: str, parent: str) -> dict[str, SourceRecord]:
        return self.children_of(kind, [parent])

    def children_of(self, kind: str, parents: Iterable[str]) -> dict[str, SourceRecord]:
        """The source records of ``kind`` that came with any of ``parents``, by their id, with
        those this batch has made and not yet written (``flush``), so that two passes over one
        group (the mentor group and the mentor assignments) make each row once."""
        wanted = set(parents)
        asked = wanted - self.fresh_parents(PARENT_KINDS.get(kind, ""))
        found = (
            {
                r.external_id: r
                for r in SourceRecord.objects.filter(
                    source=self.source, kind=kind, parent__in=asked
                )
            }
            if asked
            else {}
        )
        for (pending_kind, ext), new in self.pending.items():
            if pending_kind == kind and isinstance(new, tuple) and new[3] in wanted:
                found.setdefault(
                    ext, SourceRecord(kind=kind, external_id=ext, parent=new[3], object_id=new[4])
                )
        return found

    def fresh_parents(self, kind: str) -> set[str]:
        """The records of ``kind`` in the batch that the source never sent before: none of
        the rows that come with such a record (``CHILDREN``) can be there yet, so they are
        not looked up."""
        fresh_kind, fresh = self.fresh
        return fresh if kind == fresh_kind and kind in CHILDREN else set()

    # ending ----------------------------------------------------------------------------------

    def end_records(self, records: Iterable[SourceRecord]) -> None:
        """End the rows the records became (each kind in one write) and the records."""
        records = list(records)
        ends: dict[str, dict[int, dt.date]] = defaultdict(dict)
        for rec in records:
            if rec.kind in bulk.ENDABLE and rec.object_id is not None:
                ends[rec.kind][rec.object_id] = self.yesterday
        for kind, rows in ends.items():
            ended = bulk.periods_end(actor=self.actor, kind=kind, ends=rows)
            if ended:
                self.count(COUNT_NAMES.get(kind, kind), "ended", len(ended))
            if kind == "placement":
                self.ended_placements.extend(ended)
            if kind in GUARDED and ended:
                model = bulk.ENDABLE[kind][0]
                pupils = model.objects.filter(pk__in=ended).values_list("pupil_id", flat=True)
                self.touched.update(pupils)
        self.trace_pupils()
        SourceRecord.objects.filter(pk__in=[r.pk for r in records]).update(
            ended=True, seen_run_id=self.run.pk, changed_at=timezone.now()
        )

    def trace_pupils(self) -> None:
        """One event per pupil the import changed (``touched``), found by the log search for
        that pupil; the batch's events say what changed (counts and the rows' ids)."""
        touched, self.touched = self.touched, set()
        if touched:
            audit_record_pupils(
                code="imports.pupil.synchronised",
                actor=self.actor,
                pupil_ids=touched,
                data={"run": self.run.pk},
            )
