"""Organisations (school units), by their SS 12000 id or school unit code."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from elevstod.organisation import services as org
from elevstod.organisation.models import SchoolUnit

from .. import parse
from ..parse import RecordError
from .batch import Batch


class UnitsMapping(Batch):
    def _apply_organisations(self, ext: str, record: dict[str, Any]) -> int | None:
        values = parse.unit_values(record)
        if values is None:
            self.count("organisations", "skipped")
            return None
        unit = SchoolUnit.objects.filter(external_id=ext).first() or (
            SchoolUnit.objects.filter(school_unit_code=values.school_unit_code).first()
        )
        if unit is not None and unit.organiser_id != self.source.organiser_id:
            raise RecordError(_("The school unit belongs to another organiser."))
        if unit is None:
            unit = org.unit_create(
                actor=self.actor,
                organiser=self.source.organiser,
                name=values.name,
                school_unit_code=values.school_unit_code,
                support_module_enabled=False,
                external_id=ext,
            )
            self.count("organisations", "created")
        elif org.unit_update(actor=self.actor, unit=unit, name=values.name, external_id=ext):
            self.count("organisations", "updated")
        self.units[ext] = unit.pk
        return unit.pk
