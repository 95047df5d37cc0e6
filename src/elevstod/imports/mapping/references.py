"""Finding the rows of other kinds a record refers to (persons, school units)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from elevstod.organisation.models import Person, SchoolUnit

from ..parse import RecordError


class References:
    """The part of ``Batch`` that looks up what records refer to."""

    people: dict[str, Person]  # the persons the batch refers to, by external id
    units: dict[str | None, int]  # the organiser's school units, by external id
    unit_rows: dict[int, SchoolUnit]

    def _person(self, ref: str) -> Person:
        person = self.people.get(ref) or Person.objects.filter(external_id=ref).first()
        if person is None:
            raise RecordError(_("Unknown person %(id)s.") % {"id": ref})
        return person

    def _unit(self, ref: str) -> SchoolUnit:
        pk = self.units.get(ref)
        if pk is None:
            raise RecordError(_("Unknown school unit %(id)s.") % {"id": ref})
        if pk not in self.unit_rows:
            self.unit_rows[pk] = SchoolUnit.objects.select_related("organiser").get(pk=pk)
        return self.unit_rows[pk]

    def _prefetch_people(self, records: Iterable[Any]) -> None:
        """The persons the batch's records name (``person``), in one query, for ``_person``."""
        refs = {
            r["person"]["id"]
            for r in records
            if isinstance(r.get("person"), dict) and isinstance(r["person"].get("id"), str)
        }
        self.people = {
            p.external_id: p  # type: ignore[misc]
            for p in Person.objects.filter(external_id__in=refs)
        }
