"""Persons, with their enrolments (placements) and guardians."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from elevstod.organisation import services as org
from elevstod.organisation.models import Guardianship, Person, Placement, SchoolUnit

from .. import parse
from ..models import SourceRecord
from ..parse import RecordError
from .batch import Batch, row_of


class PersonsMapping(Batch):
    def _people(self, exts: Iterable[str]) -> dict[str, Person]:
        return {p.external_id: p for p in Person.objects.filter(external_id__in=list(exts))}  # type: ignore[misc]

    def _apply_persons(self, ext: str, record: dict[str, Any]) -> int:
        values = parse.person_values(record)
        person = Person.objects.filter(external_id=ext).first()
        if person is None and values.civic_number:
            person = Person.objects.filter(civic_number=values.civic_number).first()
            if person is not None and person.external_id not in (None, ext):
                raise RecordError(_("Another person already has this personal identity number."))
        if person is None:
            person = org.person_create(
                actor=self.actor,
                external_id=ext,
                given_name=values.given_name,
                family_name=values.family_name,
                civic_number=values.civic_number,
                security_marking=values.security_marking,
                email=values.email,
                eppn=values.eppn,
            )
            self.count("persons", "created")
        elif org.person_update(
            actor=self.actor, person=person, external_id=ext, **values.as_fields()
        ):
            self.count("persons", "updated")
        self._enrolments(ext, person, record.get("enrolments") or [])
        self._guardians(ext, person, record)
        return person.pk

    def _enrolments(self, ext: str, pupil: Person, enrolments: Any) -> None:
        if not isinstance(enrolments, list):
            raise RecordError(_("The field “%(key)s” is not a list.") % {"key": "enrolments"})
        children = self._children("placement", ext)
        for enrolment in enrolments:
            try:
                values = parse.enrolment_values(enrolment)
            except RecordError as error:
                self.fail("placements", ext, error.reason)
                continue
            unit_pk = self.units.get(values.unit_ref)
            if unit_pk is None:
                self.fail(
                    "placements", ext, _("Unknown school unit %(id)s.") % {"id": values.unit_ref}
                )
                continue
            key = f"{ext}/{values.unit_ref}"
            rec = children.get(key)
            placement = row_of(Placement, rec)
            placement = self._placement(pupil, unit_pk, values, placement)
            self._remember("placement", key, ext, placement.pk, "", None, children)

    def _placement(
        self,
        pupil: Person,
        unit_pk: int,
        values: parse.EnrolmentValues,
        placement: Placement | None,
    ) -> Placement:
        wanted_end = values.period.end or (self.yesterday if values.cancelled else None)
        if placement is None or (
            wanted_end is None
            and placement.end_date is not None
            and placement.end_date < self.today
        ):
            placement = org.placement_start(
                actor=self.actor,
                pupil=pupil,
                unit=SchoolUnit.objects.get(pk=unit_pk),
                school_year=values.school_year,
                start_date=values.period.start or self.today,
            )
            self.count("placements", "created")
        elif placement.school_year != values.school_year:
            org.placement_change_year(
                actor=self.actor, placement=placement, school_year=values.school_year
            )
            self.count("placements", "updated")
        if wanted_end is not None and placement.end_date != wanted_end:
            placement_end = self.enders["placement"][1]
            if self._end(placement, placement_end, on=wanted_end):
                self.count("placements", "ended")
                self.ended_placements.append(placement.pk)
        return placement

    def _guardians(self, ext: str, pupil: Person, record: dict[str, Any]) -> None:
        try:
            refs = parse.guardian_refs(record)
        except RecordError as error:
            self.fail("guardianships", ext, error.reason)
            return
        children = self._children("guardianship", ext)
        for ref in refs:
            guardian = Person.objects.filter(external_id=ref).only("pk").first()
            if guardian is None:
                self.deferred_guardians.append((ext, pupil.pk, ref))
                continue
            self._guardianship(ext, pupil.pk, ref, guardian.pk, children)

    def _guardianship(
        self, ext: str, pupil_pk: int, ref: str, guardian_pk: int, children: dict[str, Any]
    ) -> None:
        if guardian_pk == pupil_pk:
            self.fail("guardianships", ext, _("A person cannot be their own guardian."))
            return
        link = Guardianship.objects.filter(guardian_id=guardian_pk, pupil_id=pupil_pk).first()
        if link is None:
            link = org.guardianship_add(
                actor=self.actor,
                guardian=Person.objects.get(pk=guardian_pk),
                pupil=Person.objects.get(pk=pupil_pk),
            )
            self.count("guardianships", "created")
        self._remember("guardianship", f"{ext}/{ref}", ext, link.pk, "", None, children)

    def resolve_deferred_guardians(self) -> None:
        """Guardians who came later in the export than their ward."""
        pending, self.deferred_guardians = self.deferred_guardians, []
        for ext, pupil_pk, ref in pending:
            with transaction.atomic():
                guardian = Person.objects.filter(external_id=ref).only("pk").first()
                if guardian is None:
                    self.fail("guardianships", ext, _("Unknown person %(id)s.") % {"id": ref})
                    SourceRecord.objects.filter(
                        source=self.source, kind="persons", external_id=ext
                    ).update(digest="")  # try the pupil again next run
                    continue
                self._guardianship(
                    ext, pupil_pk, ref, guardian.pk, self._children("guardianship", ext)
                )
