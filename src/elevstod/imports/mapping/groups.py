"""Groups with their memberships, and mentor groups (mentorships)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from elevstod.organisation import services as org
from elevstod.organisation.models import (
    Duty,
    Group,
    GroupMembership,
    Mentorship,
    Person,
    SchoolUnit,
)

from .. import parse
from ..parse import RecordError
from .batch import Batch, row_of


class GroupsMapping(Batch):
    def _apply_groups(self, ext: str, record: dict[str, Any]) -> int | None:
        values = parse.group_values(record)
        if values is None:
            self.count("groups", "skipped")
            return None
        unit = self._unit(values.unit_ref)
        memberships = record.get("groupMemberships") or []
        if not isinstance(memberships, list):
            raise RecordError(_("The field “%(key)s” is not a list.") % {"key": "groupMemberships"})
        if values.kind == parse.MENTOR_GROUP:
            self._mentor_group(ext, unit, memberships)
            self.count("groups", "mentor groups")
            return None
        group = self._group(ext, unit, values)
        children = self._children("membership", ext)
        for membership in memberships:
            try:
                m = parse.membership_values(ext, membership)
                pupil = self._person(m.person_ref)
            except RecordError as error:
                self.fail("memberships", ext, error.reason)
                continue
            rec = children.get(m.key)
            row = row_of(GroupMembership, rec)
            if row is None or (row.end_date is not None and m.period.end is None):
                row = org.membership_add(
                    actor=self.actor,
                    group=group,
                    pupil=pupil,
                    start_date=m.period.start or self.today,
                )
                self.count("memberships", "created")
            if m.period.end and self._end(row, self.enders["membership"][1], on=m.period.end):
                self.count("memberships", "ended")
            self._remember("membership", m.key, ext, row.pk, "", None, children)
        return group.pk

    def _group(self, ext: str, unit: SchoolUnit, values: parse.GroupValues) -> Group:
        group = Group.objects.filter(external_id=ext).first()
        if group is not None and group.unit_id != unit.pk:
            raise RecordError(_("The group has moved to another school unit."))
        if group is None:
            group = org.group_create(
                actor=self.actor,
                unit=unit,
                name=values.name[:100],
                kind=values.kind,
                start_date=values.period.start or self.today,
                external_id=ext,
            )
            self.count("groups", "created")
        elif org.group_update(
            actor=self.actor,
            group=group,
            name=values.name[:100],
            kind=values.kind,
            school_year=group.school_year,
        ):
            self.count("groups", "updated")
        if values.period.end and self._end(group, self.enders["groups"][1], on=values.period.end):
            self.count("groups", "ended")
        return group

    def _mentor_group(self, ext: str, unit: SchoolUnit, memberships: list[Any]) -> None:
        """A mentor group (the fallback when duties carry no mentor assignments): its members
        with a duty at the unit are the mentors of its other members."""
        people: list[Person] = []
        for membership in memberships:
            try:
                people.append(self._person(parse.membership_values(ext, membership).person_ref))
            except RecordError as error:
                self.fail("mentorships", ext, error.reason)
        staff = set(
            Duty.objects.active(self.today)
            .filter(unit=unit, person__in=people)
            .values_list("person_id", flat=True)
        )
        children = self._children("mentorship", ext)
        for mentor in (p for p in people if p.pk in staff):
            for pupil in (p for p in people if p.pk not in staff):
                key = f"{ext}/{mentor.external_id}/{pupil.external_id}"
                rec = children.get(key)
                row = row_of(Mentorship, rec)
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
