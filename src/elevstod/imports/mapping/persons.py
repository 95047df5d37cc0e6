"""Persons, with their enrolments (placements) and guardians, a batch at a time: every record
is checked first (a bad one is reported and left out), then each kind is written in bulk."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from elevstod.core.bulk import ids_matching
from elevstod.organisation.models import Person, Placement
from elevstod.organisation.services import bulk

from .. import parse
from ..models import SourceRecord
from ..parse import RecordError
from .batch import Batch


@dataclass
class _Enrolment:
    key: str
    unit_pk: int
    values: parse.EnrolmentValues


@dataclass
class _Person:
    values: parse.PersonValues
    enrolments: list[_Enrolment]
    guardians: list[str]
    whole: bool = True  # False when a part was refused
    pk: int = 0
    # False when the record has no ``responsibles`` at all (the reference subset, or a supplier
    # that stopped sending them): its guardians are then kept, not ended.
    guardians_sent: bool = True
    failures: list[tuple[str, Any]] = field(default_factory=list)  # refused parts: entity, why


@dataclass
class _Starts:
    rows: list[bulk.PlacementStart] = field(default_factory=list)
    keys: list[tuple[str, str, bool]] = field(default_factory=list)  # key, parent, ended


class PersonsMapping(Batch):
    def _bulk_persons(
        self, changed: dict[str, Any], digests: dict[str, str], existing: dict[str, SourceRecord]
    ) -> set[str]:
        refused: set[str] = set()
        people: dict[str, _Person] = {}
        for ext, record in changed.items():
            read = self.read.get(ext) or self._read_persons(ext, record)
            if isinstance(read, RecordError):
                self.fail("persons", ext, read.reason)
                refused.add(ext)
                continue
            for entity, reason in read.failures:
                self.fail(entity, ext, reason)
            people[ext] = read
        written = bulk.persons_upsert(
            actor=self.actor, values={ext: p.values.as_fields() for ext, p in people.items()}
        )
        for ext, reason in written.refused.items():
            self.fail("persons", ext, reason)
            refused.add(ext)
            del people[ext]
        self.count("persons", "created", len(written.created))
        self.count("persons", "updated", len(written.updated))
        for ext, person in people.items():
            person.pk = written.pks[ext]
        changed_pks = {*written.created, *written.updated}
        self.touched |= {p.pk for p in people.values() if p.enrolments and p.pk in changed_pks}
        self._placements(people)
        self._guardians(people, set(written.created))
        self.trace_pupils()
        for ext, person in people.items():
            digest = digests[ext] if person.whole else ""
            self._remember("persons", ext, "", person.pk, digest, changed[ext], existing)
            (self.whole if person.whole else self.partial).append(ext)
        return refused

    def _read_persons(self, ext: str, record: dict[str, Any]) -> _Person | RecordError:
        """What the record says, checked, without the database (``prepare``): the refusal of
        the whole record, or the person with the refused parts (``failures``)."""
        try:
            return self._person_of(ext, record)
        except RecordError as error:
            return error

    def _person_of(self, ext: str, record: dict[str, Any]) -> _Person:
        """A refused enrolment or guardian list leaves the record partial."""
        values = parse.person_values(record)
        enrolments = record.get("enrolments") or []
        if not isinstance(enrolments, list):
            raise RecordError(_("The field “%(key)s” is not a list.") % {"key": "enrolments"})
        person = _Person(values, [], [])
        for enrolment in enrolments:
            try:
                e = parse.enrolment_values(enrolment)
                unit_pk = self.units.get(e.unit_ref)
                if unit_pk is None:
                    raise RecordError(_("Unknown school unit %(id)s.") % {"id": e.unit_ref})
            except RecordError as error:
                person.failures.append(("placements", error.reason))
                person.whole = False
                continue
            person.enrolments.append(_Enrolment(f"{ext}/{e.unit_ref}", unit_pk, e))
        person.guardians_sent = "responsibles" in record
        try:
            person.guardians = parse.guardian_refs(record)
        except RecordError as error:
            person.failures.append(("guardianships", error.reason))
            person.whole = False
        return person

    # placements ------------------------------------------------------------------------------

    def _placements(self, people: dict[str, _Person]) -> None:
        children = self.children_of("placement", people)
        ids = [r.object_id for r in children.values() if r.object_id is not None]
        rows = Placement.objects.in_bulk(ids)
        starts, years, ends = _Starts(), {}, {}
        for ext, person in people.items():
            for e in person.enrolments:
                rec = children.get(e.key)
                row = rows.get(rec.object_id) if rec and rec.object_id else None
                wanted_end = e.values.period.end or (self.yesterday if e.values.cancelled else None)
                if row is None or (
                    wanted_end is None and row.end_date is not None and row.end_date < self.today
                ):
                    self._start(starts, ext, person.pk, e, wanted_end)
                    continue
                if row.school_year != e.values.school_year:
                    years[row.pk] = e.values.school_year
                if wanted_end is not None and row.end_date != wanted_end:
                    ends[row.pk] = wanted_end
                self._remember("placement", e.key, ext, row.pk, "", None, children)
        new = bulk.placements_write(actor=self.actor, start=starts.rows, change_year=years)
        for pk, (key, ext, ended) in zip(new, starts.keys, strict=True):
            self._remember("placement", key, ext, pk, "", None, children)
            if ended:
                self.ended_placements.append(pk)
        ended_now = bulk.periods_end(actor=self.actor, kind="placement", ends=ends)
        self.touched |= {s.pupil_id for s in starts.rows}
        self.touched |= {rows[pk].pupil_id for pk in [*years, *ended_now] if pk in rows}
        self.ended_placements.extend(ended_now)
        self.count("placements", "created", len(new))
        self.count("placements", "updated", len(years))
        self.count("placements", "ended", len(ended_now) + sum(k[2] for k in starts.keys))

    def _start(self, starts: _Starts, ext: str, pupil_pk: int, e: _Enrolment, end: Any) -> None:
        start = e.values.period.start or self.today
        end = max(end, start) if end is not None else None
        starts.rows.append(
            bulk.PlacementStart(pupil_pk, e.unit_pk, e.values.school_year, start, end)
        )
        starts.keys.append((e.key, ext, end is not None))

    # guardians -------------------------------------------------------------------------------

    def _guardians(self, people: dict[str, _Person], created: set[int]) -> None:
        refs = {ref for person in people.values() for ref in person.guardians}
        known = ids_matching(Person, "external_id", refs)
        links: list[tuple[str, str, int, int]] = []
        for ext, person in people.items():
            for ref in person.guardians:
                guardian_pk = known.get(ref)
                if guardian_pk is None:  # later in the export than the ward
                    self.deferred_guardians.append((ext, person.pk, ref))
                elif guardian_pk == person.pk:
                    self.fail("guardianships", ext, _("A person cannot be their own guardian."))
                    person.whole = False
                else:
                    links.append((ext, ref, guardian_pk, person.pk))
        self._link_guardians(links, created)
        fresh = self.fresh_parents("persons")
        silent = [e for e, person in people.items() if not person.guardians_sent and e not in fresh]
        if silent:  # seen in this run, so the batch's end does not end them
            SourceRecord.objects.filter(
                source=self.source, kind="guardianship", parent__in=silent, ended=False
            ).update(seen_run_id=self.run.pk)

    def _link_guardians(
        self, links: list[tuple[str, str, int, int]], created: Collection[int] = ()
    ) -> None:
        """(pupil's id, guardian's id, guardian, pupil): made guardians and remembered;
        ``created``: the pupils the batch created, who have no guardians yet."""
        if not links:
            return
        children = self.children_of("guardianship", {link[0] for link in links})
        pairs = [(g, p) for _, _, g, p in links]
        linked = bulk.guardianships_add(actor=self.actor, pairs=pairs, new_pupils=created)
        made = {*linked.added, *linked.reopened}
        self.touched |= {pupil for (_g, pupil), pk in linked.links.items() if pk in made}
        self.count("guardianships", "created", len(linked.added) + len(linked.reopened))
        for ext, ref, guardian_pk, pupil_pk in links:
            pk = linked.links[(guardian_pk, pupil_pk)]
            self._remember("guardianship", f"{ext}/{ref}", ext, pk, "", None, children)

    def resolve_deferred_guardians(self) -> None:
        """Guardians who came later in the export than their ward."""
        pending, self.deferred_guardians = self.deferred_guardians, []
        with transaction.atomic():
            refs = {ref for _, _, ref in pending}
            known = dict(
                Person.objects.filter(external_id__in=refs).values_list("external_id", "pk")
            )
            links, retry = [], []
            for ext, pupil_pk, ref in pending:
                guardian_pk = known.get(ref)
                if guardian_pk is None:
                    self.fail("guardianships", ext, _("Unknown person %(id)s.") % {"id": ref})
                    retry.append(ext)
                elif guardian_pk == pupil_pk:
                    self.fail("guardianships", ext, _("A person cannot be their own guardian."))
                    retry.append(ext)
                else:
                    links.append((ext, ref, guardian_pk, pupil_pk))
            SourceRecord.objects.filter(
                source=self.source, kind="persons", external_id__in=retry
            ).update(digest="")  # try the pupil again next run
            self._link_guardians(links)
            self.flush("guardianship")
