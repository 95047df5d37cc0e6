"""Duties: the role in Elevstöd from the source's dutyRole (``Source.role_mapping``), and the
groups the duty is mentor of (``assignmentRole``, see ``mentors``).

A batch of duties is checked whole first (role, person, school unit, mentor assignments); the
refused records are reported one by one and left out, the others written in bulk
(``organisation.services.bulk.duties_write``): one lookup, one insert, one update, one event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from elevstod.organisation.models import Duty, Person
from elevstod.organisation.services import bulk

from .. import parse
from ..models import SourceRecord
from ..parse import RecordError
from .mentors import MentorAssignmentsMapping, MentorDuty, assignment_periods


@dataclass
class _Duty:
    values: parse.DutyValues
    role: str
    person: Person
    unit_pk: int
    mentor_of: dict[str, parse.Period]  # group -> the assignment's dates
    pk: int = 0


class DutiesMapping(MentorAssignmentsMapping):
    def _bulk_duties(
        self, changed: dict[str, Any], digests: dict[str, str], existing: dict[str, SourceRecord]
    ) -> set[str]:
        self._prefetch_people(changed.values())
        refused: set[str] = set()
        duties: dict[str, _Duty] = {}
        for ext, record in changed.items():
            try:
                duty = self._checked_duty(record)
            except RecordError as error:
                self.fail("duties", ext, error.reason)
                refused.add(ext)
                continue
            if duty is None:
                self.count("duties", "skipped")
                self._remember("duties", ext, "", None, digests[ext], record, existing)
                self.whole.append(ext)
            else:
                duties[ext] = duty
        persons = self._write_duties(duties)
        self.mentor_roles(
            {
                ext: MentorDuty(d.pk, persons[ext], assignment_periods(d.mentor_of, d.values))
                for ext, d in duties.items()
            }
        )
        for ext, duty in duties.items():
            self._remember("duties", ext, "", duty.pk, digests[ext], changed[ext], existing)
            self.whole.append(ext)
        return refused

    def _checked_duty(self, record: dict[str, Any]) -> _Duty | None:
        """The duty a record gives; None when its dutyRole is not mapped to a role."""
        values = parse.duty_values(record)
        role = self.roles.get(values.duty_role)
        if not role:
            return None
        person = self._person(values.person_ref)
        unit_pk = self.units.get(values.unit_ref)
        if unit_pk is None:
            raise RecordError(_("Unknown school unit %(id)s.") % {"id": values.unit_ref})
        return _Duty(values, role, person, unit_pk, parse.mentor_assignments(record))

    def _write_duties(self, duties: dict[str, _Duty]) -> dict[str, str]:
        """Assign the new duties, change the roles of the others and end those that end;
        returns the external id of each duty's person."""
        found = {
            d.external_id: d
            for d in Duty.objects.filter(external_id__in=list(duties)).select_related("person")
        }
        create, update, persons = [], {}, {}
        for ext, duty in duties.items():
            row, v = found.get(ext), duty.values
            if row is None:
                start = v.period.start or self.today
                create.append(
                    bulk.DutyWrite(
                        duty.person.pk,
                        self.source.organiser_id,
                        duty.unit_pk,
                        duty.role,
                        v.duty_role,
                        start,
                        ext,
                    )
                )
                persons[ext] = v.person_ref
                continue
            duty.pk, persons[ext] = row.pk, str(row.person.external_id)
            if row.role != duty.role or row.title != v.duty_role:
                update[row.pk] = (duty.role, v.duty_role)
        created, updated = bulk.duties_write(actor=self.actor, create=create, update=update)
        for pk, made in zip(created, create, strict=True):
            duties[made.external_id].pk = pk
        ends = {d.pk: d.values.period.end for d in duties.values() if d.values.period.end}
        ended = bulk.periods_end(actor=self.actor, kind="duties", ends=ends)
        self.count("duties", "created", len(created))
        self.count("duties", "updated", len(updated))
        self.count("duties", "ended", len(ended))
        return persons
