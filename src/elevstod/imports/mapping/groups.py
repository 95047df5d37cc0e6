"""Groups with their memberships, and mentor groups (mentorships)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from elevstod.core.bulk import ids_matching
from elevstod.organisation import services as org
from elevstod.organisation.models import (
    Duty,
    Group,
    GroupMembership,
    Mentorship,
    Person,
    SchoolUnit,
)
from elevstod.organisation.services import bulk

from .. import parse
from ..models import SourceRecord
from ..parse import RecordError
from .batch import Batch, row_of


@dataclass
class _Group:
    values: parse.GroupValues
    unit_pk: int
    memberships: list[Any]
    whole: bool = True
    pk: int = 0


class GroupsMapping(Batch):
    def _bulk_groups(
        self, changed: dict[str, Any], digests: dict[str, str], existing: dict[str, SourceRecord]
    ) -> set[str]:
        """Classes and teaching groups in bulk; mentor groups and groups of other types
        one by one (``_apply_groups``)."""
        refused: set[str] = set()
        groups: dict[str, _Group] = {}
        for ext, record in changed.items():
            try:
                group = self._plain_group(record)
            except RecordError as error:
                self.fail("groups", ext, error.reason)
                refused.add(ext)
                continue
            if group is not None:
                groups[ext] = group
            elif not self._apply("groups", self._apply_groups, ext, record, digests[ext], existing):
                refused.add(ext)
        refused |= self._write_groups(groups)
        self._memberships(groups)
        self.groups_written({ext: (changed[ext], group.values) for ext, group in groups.items()})
        for ext, group in groups.items():
            digest = digests[ext] if group.whole else ""
            self._remember("groups", ext, "", group.pk, digest, changed[ext], existing)
            (self.whole if group.whole else self.partial).append(ext)
        return refused

    def _plain_group(self, record: dict[str, Any]) -> _Group | None:
        values = parse.group_values(record)
        if values is None or values.kind == parse.MENTOR_GROUP:
            return None
        unit_pk = self.units.get(values.unit_ref)
        if unit_pk is None:
            raise RecordError(_("Unknown school unit %(id)s.") % {"id": values.unit_ref})
        memberships = record.get("groupMemberships") or []
        if not isinstance(memberships, list):
            raise RecordError(_("The field “%(key)s” is not a list.") % {"key": "groupMemberships"})
        return _Group(values, unit_pk, memberships)

    def _write_groups(self, groups: dict[str, _Group]) -> set[str]:
        """Create or change the groups; returns those refused (moved to another unit)."""
        found = {g.external_id: g for g in Group.objects.filter(external_id__in=list(groups))}
        create, update, ends, refused = [], {}, {}, set()
        for ext, group in list(groups.items()):
            row, v = found.get(ext), group.values
            if row is not None and row.unit_id != group.unit_pk:
                self.fail("groups", ext, _("The group has moved to another school unit."))
                refused.add(ext)
                del groups[ext]
                continue
            if row is None:
                start = v.period.start or self.today
                create.append(bulk.GroupWrite(group.unit_pk, v.name[:100], v.kind, start, ext))
            else:
                group.pk = row.pk
                update[row.pk] = (v.name[:100], v.kind)
        created, updated = bulk.groups_write(actor=self.actor, create=create, update=update)
        for pk, made in zip(created, create, strict=True):
            groups[made.external_id].pk = pk
        for group in groups.values():
            if group.values.period.end:
                ends[group.pk] = group.values.period.end
        ended = bulk.periods_end(actor=self.actor, kind="groups", ends=ends)
        self.count("groups", "created", len(created))
        self.count("groups", "updated", len(updated))
        self.count("groups", "ended", len(ended))
        return refused

    def _memberships(self, groups: dict[str, _Group]) -> None:
        wanted = self._membership_values(groups)
        refs = {m.person_ref for _, _, m in wanted}
        pupils = ids_matching(Person, "external_id", refs)
        children = self.children_of("membership", groups)
        rows = GroupMembership.objects.in_bulk(
            [r.object_id for r in children.values() if r.object_id is not None]
        )
        add, keys, ends = [], [], {}
        for ext, group, m in wanted:
            pupil_pk = pupils.get(m.person_ref)
            if pupil_pk is None:
                self.fail("memberships", ext, _("Unknown person %(id)s.") % {"id": m.person_ref})
                group.whole = False
                continue
            rec = children.get(m.key)
            row = rows.get(rec.object_id) if rec and rec.object_id else None
            if row is None or (row.end_date is not None and m.period.end is None):
                start = m.period.start or self.today
                end = max(m.period.end, start) if m.period.end else None
                add.append((group.pk, pupil_pk, start, end))
                keys.append((m.key, ext, end is not None))
                continue
            if m.period.end:
                ends[row.pk] = m.period.end
            self._remember("membership", m.key, ext, row.pk, "", None, children)
        made = bulk.memberships_add(actor=self.actor, add=add)
        for pk, (key, ext, _ended) in zip(made, keys, strict=True):
            self._remember("membership", key, ext, pk, "", None, children)
        ended = bulk.periods_end(actor=self.actor, kind="membership", ends=ends)
        self.count("memberships", "created", len(made))
        self.count("memberships", "ended", len(ended) + sum(k[2] for k in keys))

    def _membership_values(
        self, groups: dict[str, _Group]
    ) -> list[tuple[str, _Group, parse.MembershipValues]]:
        found = []
        for ext, group in groups.items():
            read = self.read.get(ext)
            for values in read if read is not None else _memberships_read(ext, group.memberships):
                if isinstance(values, RecordError):
                    self.fail("memberships", ext, values.reason)
                    group.whole = False
                else:
                    found.append((ext, group, values))
        return found

    def _read_groups(
        self, ext: str, record: Any
    ) -> list[parse.MembershipValues | RecordError] | None:
        """A group's memberships as read, without the database (``prepare``)."""
        memberships = record.get("groupMemberships") if isinstance(record, dict) else None
        return _memberships_read(ext, memberships) if isinstance(memberships, list) else None

    def _apply_groups(self, ext: str, record: dict[str, Any]) -> int | None:
        """A group that is not a class or teaching group: a mentor group, or one not kept."""
        values = parse.group_values(record)
        if values is None:
            self.count("groups", "skipped")
            return None
        unit = self._unit(values.unit_ref)
        memberships = record.get("groupMemberships") or []
        if not isinstance(memberships, list):
            raise RecordError(_("The field “%(key)s” is not a list.") % {"key": "groupMemberships"})
        self._mentor_group(ext, unit, memberships)
        self.count("groups", "mentor groups")
        self.groups_written({ext: (record, values)})
        return None

    def groups_written(self, groups: dict[str, tuple[dict[str, Any], parse.GroupValues]]) -> None:
        """After groups are written (id -> record, values): what else they bring (the mentor
        assignments, ``mentors``)."""

    def _mentor_group(self, ext: str, unit: SchoolUnit, memberships: list[Any]) -> None:
        """A mentor group (the fallback when duties carry no mentor assignments): its members
        with a duty at the unit are the mentors of its other members."""
        people: list[Person] = []
        for membership in memberships:
            try:
                people.append(self._person(parse.membership_values(ext, membership).person_ref))
            except RecordError as error:
                self.fail("mentorships", ext, error.reason)
        ends = _duty_ends(unit, people, self.today)
        mentors = [p for p in people if p.pk in ends]
        periods = {p: parse.Period(None, ends[p.pk]) for p in mentors}
        self.mentors_of(ext, unit, mentors, [p for p in people if p.pk not in ends], periods)

    def mentors_of(
        self,
        ext: str,
        unit: SchoolUnit,
        mentors: list[Person],
        pupils: list[Person],
        periods: dict[Person, parse.Period] | None = None,
    ) -> None:
        """Each of ``mentors`` mentors each of ``pupils``, as children of the group ``ext`` (the
        same keys whether the mentor group or a duty's assignment says so: one mentorship),
        from the day of the run or the mentor's start in ``periods`` and until its end."""
        children = self._children("mentorship", ext)
        ends: dict[int, dt.date] = {}
        for mentor in mentors:
            period = (periods or {}).get(mentor) or parse.Period(None, None)
            for pupil in (p for p in pupils if p not in mentors):
                key = f"{ext}/{mentor.external_id}/{pupil.external_id}"
                row = row_of(Mentorship, children.get(key))
                if row is None or (row.end_date is not None and row.end_date < self.today):
                    start = period.start or self.today
                    row = org.mentorship_assign(
                        actor=self.actor,
                        mentor=mentor,
                        pupil=pupil,
                        unit=unit,
                        start_date=start,
                        end_date=max(period.end, start) if period.end else None,
                    )
                    self.count("mentorships", "created")
                elif period.end and (row.end_date is None or period.end < row.end_date):
                    ends[row.pk] = period.end
                self._remember("mentorship", key, ext, row.pk, "", None, children)
        self.count(
            "mentorships",
            "ended",
            len(bulk.periods_end(actor=self.actor, kind="mentorship", ends=ends)),
        )


def _duty_ends(unit: SchoolUnit, people: list[Person], day: dt.date) -> dict[int, dt.date | None]:
    """The persons among ``people`` with an active duty at the unit, and the day their duties
    there end (None while one has no end): a mentor group's mentor mentors until then, as a
    duty's mentor assignment does."""
    ends: dict[int, dt.date | None] = {}
    duties = Duty.objects.active(day).filter(unit=unit, person__in=people)
    for person_pk, end in duties.values_list("person_id", "end_date"):
        known = ends.get(person_pk, end)
        ends[person_pk] = None if known is None or end is None else max(known, end)
    return ends


def _memberships_read(
    ext: str, memberships: list[Any]
) -> list[parse.MembershipValues | RecordError]:
    """Each membership's values, or why it is refused."""
    read: list[parse.MembershipValues | RecordError] = []
    for membership in memberships:
        try:
            read.append(parse.membership_values(ext, membership))
        except RecordError as error:
            read.append(error)
    return read
