"""Activities: which teachers (duties) teach which groups, and in which subject (``syllabus``).

A batch of activities is read whole first: one lookup each for the groups, the duties and the
teaching the records brought before. An unknown duty or group is reported and the rest of the
record kept (it is tried again next run); the teaching is then written in bulk
(``organisation.services.bulk``): one insert, one ending, one event per kind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from elevstod.organisation.models import Duty, Group, TeachingAssignment
from elevstod.organisation.services import bulk

from .. import parse
from ..models import SourceRecord
from ..parse import RecordError
from .batch import Batch

# the key of one teaching (activity/duty/group) -> (activity, teacher, group, start, end)
Teaching = dict[str, tuple[str, int, int, dt.date, dt.date | None]]


@dataclass
class _Found:
    """What the batch's activities name: groups by id, teachers (duty id -> person), and the
    ids of groups read but not kept (mentor groups); what they give: teaching and subjects."""

    groups: dict[str, Group]
    teachers: dict[str, int]
    not_kept: set[str]
    teaching: Teaching = field(default_factory=dict)
    subjects: dict[int, parse.SubjectValues] = field(default_factory=dict)


class ActivitiesMapping(Batch):
    def _bulk_activities(
        self, changed: dict[str, Any], digests: dict[str, str], existing: dict[str, SourceRecord]
    ) -> set[str]:
        refused: set[str] = set()
        read: dict[str, parse.ActivityValues] = {}
        for ext, record in changed.items():
            try:
                read[ext] = parse.activity_values(record)
            except RecordError as error:
                self.fail("activities", ext, error.reason)
                refused.add(ext)
        found = self._named(read.values())
        for ext, values in read.items():
            errors_before = self.errors_total
            self._activity(ext, values, found)
            whole = self.errors_total == errors_before
            digest = digests[ext] if whole else ""
            self._remember("activities", ext, "", None, digest, changed[ext], existing)
            (self.whole if whole else self.partial).append(ext)
        self._subjects(found.subjects)
        self._teaching(list(read), found.teaching)
        return refused

    def _named(self, read: Iterable[parse.ActivityValues]) -> _Found:
        read = list(read)
        group_refs = {g for v in read for g in v.group_refs}
        duty_refs = {d for v in read for d in v.duty_refs}
        groups = {g.external_id: g for g in Group.objects.filter(external_id__in=group_refs)}
        teachers = Duty.objects.filter(external_id__in=duty_refs)
        not_kept = SourceRecord.objects.filter(
            source=self.source, kind="groups", external_id__in=group_refs - set(groups)
        )
        return _Found(
            groups,  # type: ignore[arg-type]
            dict(teachers.values_list("external_id", "person_id")),  # type: ignore[arg-type]
            set(not_kept.values_list("external_id", flat=True)),
        )

    def _activity(self, ext: str, values: parse.ActivityValues, found: _Found) -> None:
        """The teaching and the subjects one activity gives; an unknown duty or group is
        reported and the rest kept."""
        for ref in (r for r in values.duty_refs if r not in found.teachers):
            self.fail("teaching", ext, _("Unknown duty %(id)s.") % {"id": ref})
        start = values.period.start or self.today
        for group_ref in values.group_refs:
            group = found.groups.get(group_ref)
            if group is None:
                if group_ref not in found.not_kept:
                    self.fail("teaching", ext, _("Unknown group %(id)s.") % {"id": group_ref})
                continue
            if values.subject is not None and group.kind == Group.Kind.TEACHING:
                found.subjects[group.pk] = values.subject
            for ref in (r for r in values.duty_refs if r in found.teachers):
                found.teaching[f"{ext}/{ref}/{group_ref}"] = (
                    *(ext, found.teachers[ref], group.pk, start),
                    values.period.end,
                )

    def _teaching(self, activities: list[str], teaching: Teaching) -> None:
        """Start the teaching not running yet, end what ends, and remember each."""
        children = self.children_of("teaching", activities)
        rows = TeachingAssignment.objects.in_bulk(
            [r.object_id for r in children.values() if r.object_id is not None]
        )
        add, keys, ends = [], [], {}
        for key, (ext, teacher, group, start, end) in teaching.items():
            rec = children.get(key)
            row = rows.get(rec.object_id) if rec and rec.object_id else None
            if row is None or row.end_date is not None:
                add.append((teacher, group, start))
                keys.append((key, ext, end))
                continue
            if end:
                ends[row.pk] = end
            self._remember("teaching", key, ext, row.pk, "", None, children)
        made = bulk.teaching_add(actor=self.actor, add=add)
        for pk, (key, ext, end) in zip(made, keys, strict=True):
            self._remember("teaching", key, ext, pk, "", None, children)
            if end:
                ends[pk] = end
        ended = bulk.periods_end(actor=self.actor, kind="teaching", ends=ends)
        self.count("teaching", "created", len(made))
        self.count("teaching", "ended", len(ended))

    def _subjects(self, subjects: dict[int, parse.SubjectValues]) -> None:
        """A teaching group gets the subject of its activity's syllabus; without a syllabus it
        keeps what it has. A class is taught many subjects and keeps none."""
        if not subjects:
            return
        names = {s.code: s.name for s in subjects.values()}
        codes = bulk.subjects_for_codes(actor=self.actor, names=names)
        changed = bulk.groups_set_subject(
            actor=self.actor, subjects={g: codes[s.code] for g, s in subjects.items()}
        )
        self.count("groups", "subject set", len(changed))
