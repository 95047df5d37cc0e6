"""Duties: the role in Elevstöd from the source's dutyRole (``Source.role_mapping``), and the
groups the duty is mentor of (``assignmentRole``, see ``mentors``)."""

from __future__ import annotations

from typing import Any

from elevstod.organisation import services as org
from elevstod.organisation.models import Duty

from .. import parse
from .mentors import MentorAssignmentsMapping


class DutiesMapping(MentorAssignmentsMapping):
    def _apply_duties(self, ext: str, record: dict[str, Any]) -> int | None:
        values = parse.duty_values(record)
        role = self.roles.get(values.duty_role)
        if not role:
            self.count("duties", "skipped")
            return None
        person = self._person(values.person_ref)
        unit = self._unit(values.unit_ref)
        duty = Duty.objects.filter(external_id=ext).first()
        if duty is None:
            duty = org.duty_assign(
                actor=self.actor,
                person=person,
                role=role,
                unit=unit,
                title=values.duty_role,
                start_date=values.period.start or self.today,
                external_id=ext,
            )
            self.count("duties", "created")
        elif duty.role != role or duty.title != values.duty_role:
            org.duty_change_role(actor=self.actor, duty=duty, role=role, title=values.duty_role)
            self.count("duties", "updated")
        if values.period.end and self._end(duty, self.enders["duties"][1], on=values.period.end):
            self.count("duties", "ended")
        self._mentor_roles(ext, duty, record)
        return duty.pk
