"""Mentor assignments on duties (``assignmentRole`` of type Mentor, full standard): the duty's
person is the mentor of the members of the group it names.

Duties are read before groups, so a duty keeps what it names as a ``mentorrole`` record (parent:
the group's id, object: the duty); when the group is read, its members get the mentorships, as
children of the group like those of the mentor-group fallback (the same keys, so a mentor who is
also a member of the group is not counted twice). A duty that names a group it did not name
before has the group read again in the same run; one that no longer names a group ends the
mentorships it gave there.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from elevstod.organisation import services as org
from elevstod.organisation.models import Duty, Mentorship, Person

from .. import parse
from ..models import SourceRecord
from ..parse import RecordError
from .batch import row_of
from .groups import GroupsMapping

KIND = "mentorrole"


class MentorAssignmentsMapping(GroupsMapping):
    def _mentor_roles(self, ext: str, duty: Duty, record: dict[str, Any]) -> None:
        """Keep the groups the duty is mentor of; end what it gave groups it no longer names."""
        named = set(parse.mentor_group_refs(record))
        mine = SourceRecord.objects.filter(source=self.source, kind=KIND)
        for rec in mine.filter(external_id__startswith=f"{ext}/", object_id__isnull=False):
            if rec.parent not in named:
                rec.object_id = None  # no longer named: its mentorships end below
                rec.save(update_fields=["object_id", "changed_at"])
                self._end_mentorships(rec.parent, duty.person)
        for group_ref in sorted(named):
            key = f"{ext}/{group_ref}"
            old = mine.filter(external_id=key).first()
            if old is None or old.object_id != duty.pk:
                # the group is read again in this run, so its members get the mentor
                SourceRecord.objects.filter(
                    source=self.source, kind="groups", external_id=group_ref
                ).update(digest="")
            SourceRecord.objects.update_or_create(
                source=self.source,
                kind=KIND,
                external_id=key,
                defaults={
                    "parent": group_ref,
                    "object_id": duty.pk,
                    "seen_run_id": self.run.pk,
                    "changed_run_id": self.run.pk,
                    "ended": False,
                },
            )

    def end_records(self, records: Iterable[SourceRecord]) -> None:
        """Ending a duty (gone from the source, or deleted) also ends the mentorships its
        assignments gave: a former mentor keeps no access to the pupils."""
        records = list(records)
        duties = {r.external_id: r.object_id for r in records if r.kind == "duties"}
        if duties:
            self._end_assignments_of(duties)
        super().end_records(records)

    def _end_assignments_of(self, duties: dict[str, int | None]) -> None:
        people = {
            d.pk: d.person
            for d in Duty.objects.filter(
                pk__in=[pk for pk in duties.values() if pk]
            ).select_related("person")
        }
        mine = SourceRecord.objects.filter(source=self.source, kind=KIND, object_id__isnull=False)
        for ext, duty_pk in duties.items():
            person = people.get(duty_pk) if duty_pk else None
            for rec in mine.filter(external_id__startswith=f"{ext}/"):
                if person is not None:
                    self._end_mentorships(rec.parent, person)
                rec.object_id, rec.ended = None, True
                rec.save(update_fields=["object_id", "ended", "changed_at"])

    def _end_mentorships(self, group_ref: str, mentor: Person) -> None:
        prefix = f"{group_ref}/{mentor.external_id}/"
        self.end_records(
            list(
                SourceRecord.objects.filter(
                    source=self.source,
                    kind="mentorship",
                    parent=group_ref,
                    external_id__startswith=prefix,
                    ended=False,
                )
            )
        )

    def _group_written(self, ext: str, record: dict[str, Any], values: parse.GroupValues) -> None:
        """The duties that name this group as mentor: their persons mentor its members."""
        duty_pks = SourceRecord.objects.filter(
            source=self.source, kind=KIND, parent=ext, object_id__isnull=False
        ).values("object_id")
        unit = self._unit(values.unit_ref)
        # only a duty at the group's own unit makes its person the mentor there
        duties = Duty.objects.active(self.today).filter(pk__in=duty_pks, unit=unit)
        mentors = {d.person for d in duties.select_related("person")}
        if not mentors:
            return
        pupils: list[Person] = []
        for membership in record.get("groupMemberships") or []:
            try:
                pupils.append(self._person(parse.membership_values(ext, membership).person_ref))
            except RecordError:
                continue  # refused with the group's memberships already
        children = self._children("mentorship", ext)
        for mentor in sorted(mentors, key=lambda p: p.pk):
            for pupil in (p for p in pupils if p not in mentors):
                key = f"{ext}/{mentor.external_id}/{pupil.external_id}"
                row = row_of(Mentorship, children.get(key))
                if row is None or row.end_date is not None:
                    row = org.mentorship_assign(
                        actor=self.actor,
                        mentor=mentor,
                        pupil=pupil,
                        unit=unit,
                        start_date=self.today,
                    )
                    self.count("mentorships", "created")
                self._remember("mentorship", key, ext, row.pk, "", None, children)
