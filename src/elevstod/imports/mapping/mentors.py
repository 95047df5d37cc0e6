"""Mentor assignments on duties (``assignmentRole`` of type Mentor, full standard): the duty's
person is the mentor of the members of the group it names.

Duties are read before groups, so a duty keeps what it names as a ``mentorrole`` record (parent:
the group's id, object: the duty), a batch of duties at a time; when the group is read, its
members get the mentorships, as children of the group like those of the mentor-group fallback
(the same keys, so a mentor who is also a member of the group is not counted twice). A duty that
names a group it did not name before has the group read again in the same run; one that no
longer names a group ends the mentorships it gave there.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from elevstod.organisation.models import Duty, Person, SchoolUnit

from .. import parse
from ..models import SourceRecord
from ..parse import RecordError
from .groups import GroupsMapping

KIND = "mentorrole"


@dataclass(frozen=True)
class MentorDuty:
    """A duty of the batch: its row, its person's external id, the groups it is mentor of
    (group -> the mentorships' dates, ``period_text``)."""

    pk: int
    person_ref: str
    groups: dict[str, str]


def assignment_periods(
    assignments: dict[str, parse.Period], duty: parse.DutyValues
) -> dict[str, str]:
    """The dates of the mentorships each assignment gives (group -> ``period_text``): the
    assignment's start, and its end or the duty's, whichever comes first (a mentor whose duty
    ends is no one's mentor after it)."""
    found = {}
    for group, period in assignments.items():
        ends = [day for day in (period.end, duty.period.end) if day is not None]
        found[group] = period_text(period.start, min(ends, default=None))
    return found


def period_text(start: dt.date | None, end: dt.date | None) -> str:
    """Dates as the ``mentorrole`` record keeps them (in its ``digest``: what it says)."""
    return f"{start.isoformat() if start else ''}/{end.isoformat() if end else ''}"


def period_of_text(text: str) -> parse.Period:
    start, _, end = text.partition("/")
    return parse.Period(
        dt.date.fromisoformat(start) if start else None,
        dt.date.fromisoformat(end) if end else None,
    )


class MentorAssignmentsMapping(GroupsMapping):
    def mentor_roles(self, duties: dict[str, MentorDuty]) -> None:
        """Keep the groups each duty is mentor of; end what it gave groups it no longer names.
        A few queries for the whole batch."""
        if not duties:
            return
        keys = {f"{ext}/{g}": (ext, g) for ext, duty in duties.items() for g in duty.groups}
        mine = SourceRecord.objects.filter(source=self.source, kind=KIND)
        found = mine.filter(
            Q(external_id__in=list(keys)) | Q(object_id__in=[d.pk for d in duties.values()])
        )
        by_key = {r.external_id: r for r in found}
        self._unname(duties, by_key.values())
        reread = {
            g for key, (ext, g) in keys.items() if _named_anew(by_key.get(key), duties[ext], g)
        }
        if reread:  # those groups are read again in this run, so their members get the mentor
            SourceRecord.objects.filter(
                source=self.source, kind="groups", external_id__in=reread
            ).update(digest="")
        for key, (ext, group_ref) in keys.items():
            dates = duties[ext].groups[group_ref]
            self._remember(KIND, key, group_ref, duties[ext].pk, dates, None, by_key)

    def _unname(self, duties: dict[str, MentorDuty], records: Iterable[SourceRecord]) -> None:
        """The groups a duty no longer names: the records forget the duty, and the mentorships
        it gave there end."""
        gone: list[SourceRecord] = []
        for rec in records:
            ext = rec.external_id[: -len(rec.parent) - 1]
            duty = duties.get(ext)
            if rec.object_id is not None and duty is not None and rec.parent not in duty.groups:
                gone.append(rec)
        if not gone:
            return
        SourceRecord.objects.filter(pk__in=[r.pk for r in gone]).update(
            object_id=None, changed_at=timezone.now()
        )
        prefixes = {
            f"{r.parent}/{duties[r.external_id[: -len(r.parent) - 1]].person_ref}/" for r in gone
        }
        given = SourceRecord.objects.filter(
            source=self.source,
            kind="mentorship",
            parent__in={r.parent for r in gone},
            ended=False,
        )
        self.end_records(r for r in given if r.external_id.startswith(tuple(prefixes)))

    def end_records(self, records: Iterable[SourceRecord]) -> None:
        """Ending a duty (gone from the source, or deleted) also ends the mentorships its
        assignments gave: a former mentor keeps no access to the pupils."""
        records = list(records)
        duties = {r.external_id: r.object_id for r in records if r.kind == "duties"}
        if duties:
            self._end_assignments_of(duties)
        super().end_records(records)

    def _end_assignments_of(self, duties: dict[str, int | None]) -> None:
        people = dict(
            Duty.objects.filter(pk__in=[pk for pk in duties.values() if pk]).values_list(
                "pk", "person__external_id"
            )
        )
        mine = SourceRecord.objects.filter(source=self.source, kind=KIND, object_id__isnull=False)
        named = [r for ext in duties for r in mine.filter(external_id__startswith=f"{ext}/")]
        if not named:
            return
        prefixes = tuple(
            f"{r.parent}/{people[r.object_id]}/" for r in named if r.object_id in people
        )
        SourceRecord.objects.filter(pk__in=[r.pk for r in named]).update(
            object_id=None, ended=True, changed_at=timezone.now()
        )
        given = SourceRecord.objects.filter(
            source=self.source,
            kind="mentorship",
            parent__in={r.parent for r in named},
            ended=False,
        )
        super().end_records(r for r in given if prefixes and r.external_id.startswith(prefixes))

    def groups_written(self, groups: dict[str, tuple[dict[str, Any], parse.GroupValues]]) -> None:
        """The duties that name these groups as mentor: their persons mentor the members. One
        query for the batch's groups, a second when any group is named."""
        named: dict[str, dict[int, str]] = defaultdict(dict)
        for parent, duty_pk, dates in SourceRecord.objects.filter(
            source=self.source, kind=KIND, parent__in=list(groups), object_id__isnull=False
        ).values_list("parent", "object_id", "digest"):
            if duty_pk is not None:
                named[parent][duty_pk] = dates
        if not named:
            return
        wanted = {pk for pks in named.values() for pk in pks}
        duties = Duty.objects.active(self.today).filter(pk__in=wanted).select_related("person")
        by_pk = {d.pk: d for d in duties}
        for ext, duty_pks in named.items():
            record, values = groups[ext]
            unit = self._unit(values.unit_ref)
            # only a duty at the group's own unit makes its person the mentor there
            at_unit = [by_pk[pk] for pk in sorted(duty_pks) if pk in by_pk]
            mentors = {
                d.person: period_of_text(duty_pks[d.pk]) for d in at_unit if d.unit_id == unit.pk
            }
            if mentors:
                self._mentor_members(ext, record, unit, mentors)

    def _mentor_members(
        self,
        ext: str,
        record: dict[str, Any],
        unit: SchoolUnit,
        mentors: dict[Person, parse.Period],
    ) -> None:
        pupils: list[Person] = []
        for membership in record.get("groupMemberships") or []:
            try:
                pupils.append(self._person(parse.membership_values(ext, membership).person_ref))
            except RecordError:
                continue  # refused with the group's memberships already
        self.mentors_of(ext, unit, sorted(mentors, key=lambda p: p.pk), pupils, mentors)


def _named_anew(old: SourceRecord | None, duty: MentorDuty, group: str) -> bool:
    """Named by another duty before, or not at all, or with other dates."""
    return old is None or old.object_id != duty.pk or old.digest != duty.groups[group]
