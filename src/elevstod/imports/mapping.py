"""Applying SS 12000 records to the organisation, a batch at a time, through its services.

``Importer.batch(kind, records)`` applies one batch in one transaction; each record in a
savepoint, so a bad record is reported (entity, id, reason in Swedish) and the others are kept.
Upsert is by the SS 12000 id; a record whose digest has not changed since the last run is not
touched. What a record no longer lists (an enrolment, a membership, a teacher) is ended, never
deleted; ``sweep`` ends what a full run did not see at all, ``delete`` what the source reports
as deleted. Nothing here touches a pupil's support.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from elevstod.core.actors import Actor
from elevstod.organisation import services as org
from elevstod.organisation.models import (
    Duty,
    Group,
    GroupMembership,
    Guardianship,
    Mentorship,
    Person,
    Placement,
    SchoolUnit,
    TeachingAssignment,
)

from . import parse
from .models import ImportRun, Source, SourceRecord
from .parse import RecordError

KINDS = ("organisations", "persons", "duties", "groups", "activities")
CHILDREN = {
    "persons": ("placement", "guardianship"),
    "groups": ("membership", "mentorship"),
    "activities": ("teaching",),
}
# dutyRole -> role in Elevstöd; an organiser may change it per source (Source.role_mapping).
ROLES: dict[str, str] = {
    "Rektor": Duty.Role.PRINCIPAL,
    "Lärare": Duty.Role.TEACHER,
    "Förstelärare": Duty.Role.TEACHER,
    "Förskollärare": Duty.Role.TEACHER,
    "Kurator": Duty.Role.PUPIL_HEALTH,
    "Skolsköterska": Duty.Role.PUPIL_HEALTH,
    "Skolläkare": Duty.Role.PUPIL_HEALTH,
    "Skolpsykolog": Duty.Role.PUPIL_HEALTH,
    "Speciallärare/specialpedagog": Duty.Role.PUPIL_HEALTH,
    "Skoladministratör": Duty.Role.ADMINISTRATOR,
}
MAX_ERRORS_KEPT = 5000
_M = TypeVar("_M", bound=models.Model)

Ender = Callable[[Any, dt.date], object]


def _enders(actor: Actor | None) -> dict[str, tuple[type[Any], Ender]]:
    return {
        "placement": (
            Placement,
            lambda o, d: org.placement_end(actor=actor, placement=o, end_date=d),
        ),
        "membership": (
            GroupMembership,
            lambda o, d: org.membership_end(actor=actor, membership=o, end_date=d),
        ),
        "mentorship": (
            Mentorship,
            lambda o, d: org.mentorship_end(actor=actor, mentorship=o, end_date=d),
        ),
        "teaching": (
            TeachingAssignment,
            lambda o, d: org.teaching_end(actor=actor, assignment=o, end_date=d),
        ),
        "duties": (Duty, lambda o, d: org.duty_end(actor=actor, duty=o, end_date=d)),
        "groups": (Group, lambda o, d: org.group_end(actor=actor, group=o, end_date=d)),
    }


COUNT_NAMES = {
    "placement": "placements",
    "membership": "memberships",
    "mentorship": "mentorships",
    "teaching": "teaching",
    "guardianship": "guardianships",
}


def _row(model: type[_M], rec: SourceRecord | None) -> _M | None:
    if rec is None or rec.object_id is None:
        return None
    return model._default_manager.filter(pk=rec.object_id).first()


class Importer:
    def __init__(self, *, run: ImportRun, actor: Actor | None, today: dt.date) -> None:
        self.run = run
        self.source: Source = run.source
        self.actor = actor
        self.today = today
        self.yesterday = today - dt.timedelta(days=1)
        self.counts: dict[str, Counter[str]] = defaultdict(Counter)
        self.errors: list[dict[str, str]] = []
        self.errors_total = 0
        self.ended_placements: list[int] = []
        self.deferred_guardians: list[tuple[str, int, str]] = []  # pupil ext, pupil pk, guardian
        self.roles = {**ROLES, **(self.source.role_mapping or {})}
        self.enders = _enders(actor)
        self.units = dict(
            SchoolUnit.objects.filter(
                organiser=self.source.organiser, external_id__isnull=False
            ).values_list("external_id", "pk")
        )

    # reporting -------------------------------------------------------------------------------

    def fail(self, entity: str, ext: str, reason: Promise | str) -> None:
        self.counts[entity]["failed"] += 1
        self.errors_total += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            with translation.override("sv"):
                self.errors.append({"entity": entity, "id": ext, "reason": str(reason)})

    def count(self, entity: str, what: str, n: int = 1) -> None:
        self.counts[entity][what] += n

    # the batch -------------------------------------------------------------------------------

    def batch(self, kind: str, records: list[Any]) -> None:
        with transaction.atomic():
            known: dict[str, Any] = {}
            for record in records:
                try:
                    known[parse.record_id(record)] = record
                except RecordError as error:
                    ext = str(record.get("id", "")) if isinstance(record, dict) else ""
                    self.fail(kind, ext[:64], error.reason)
            existing = {
                r.external_id: r
                for r in SourceRecord.objects.filter(
                    source=self.source, kind=kind, external_id__in=list(known)
                )
            }
            digests = {ext: parse.digest(record) for ext, record in known.items()}
            unchanged = [
                ext
                for ext in known
                if ext in existing
                and not existing[ext].ended
                and existing[ext].digest == digests[ext]
            ]
            if unchanged:
                self.count(kind, "unchanged", len(unchanged))
            changed = {ext: known[ext] for ext in known if ext not in set(unchanged)}
            handler = getattr(self, f"_apply_{kind}")
            kept: list[str] = list(unchanged)
            for ext, record in changed.items():
                try:
                    with transaction.atomic():
                        errors_before = self.errors_total
                        object_id = handler(ext, record)
                        whole = self.errors_total == errors_before
                        # a record with a refused part is tried again next run, and ends
                        # nothing it brought before (a transient error ends no placement)
                        digest = digests[ext] if whole else ""
                        self._remember(kind, ext, "", object_id, digest, record, existing)
                        if whole:
                            self._end_unseen_children(kind, ext)
                        else:
                            self._mark_seen(kind, [ext])
                except RecordError as error:
                    self.fail(kind, ext, error.reason)
                    if ext in existing:
                        kept.append(ext)  # what it brought before stays
            self._mark_seen(kind, kept)

    def _remember(
        self,
        kind: str,
        ext: str,
        parent: str,
        object_id: int | None,
        digest: str,
        record: dict[str, Any] | None,
        existing: dict[str, SourceRecord],
    ) -> None:
        rec = existing.get(ext)
        modified = parse.modified_of(record) if record else None
        if rec is None:
            SourceRecord.objects.create(
                source=self.source,
                kind=kind,
                external_id=ext,
                parent=parent,
                object_id=object_id,
                digest=digest,
                modified=modified,
                seen_run_id=self.run.pk,
                changed_run_id=self.run.pk,
            )
            return
        rec.object_id, rec.digest, rec.modified, rec.ended = object_id, digest, modified, False
        rec.seen_run_id = rec.changed_run_id = self.run.pk
        rec.save()

    def _mark_seen(self, kind: str, exts: list[str]) -> None:
        if not exts:
            return
        mine = SourceRecord.objects.filter(source=self.source)
        mine.filter(kind=kind, external_id__in=exts).update(seen_run_id=self.run.pk)
        if kind in CHILDREN:
            mine.filter(kind__in=CHILDREN[kind], parent__in=exts, ended=False).update(
                seen_run_id=self.run.pk
            )

    def _children(self, kind: str, parent: str) -> dict[str, SourceRecord]:
        return {
            r.external_id: r
            for r in SourceRecord.objects.filter(source=self.source, kind=kind, parent=parent)
        }

    def _end_unseen_children(self, kind: str, ext: str) -> None:
        unseen = SourceRecord.objects.filter(
            source=self.source, kind__in=CHILDREN.get(kind, ()), parent=ext, ended=False
        ).exclude(seen_run_id=self.run.pk)
        self.end_records(list(unseen))

    # ending ----------------------------------------------------------------------------------

    def end_records(self, records: Iterable[SourceRecord]) -> None:
        for rec in records:
            ender = self.enders.get(rec.kind)
            if ender is not None and rec.object_id is not None:
                model, end = ender
                obj = model._default_manager.filter(pk=rec.object_id).first()
                if obj is not None and self._end(obj, end):
                    self.count(COUNT_NAMES.get(rec.kind, rec.kind), "ended")
                    if rec.kind == "placement":
                        self.ended_placements.append(obj.pk)
            if rec.kind != "guardianship":  # a guardianship has no end: it stays (docs)
                rec.ended = True
                rec.seen_run_id = self.run.pk
                rec.save(update_fields=["ended", "seen_run_id", "changed_at"])

    def _end(self, obj: Any, end: Ender, on: dt.date | None = None) -> bool:
        day = max(on or self.yesterday, obj.start_date)
        if obj.end_date is not None and obj.end_date <= day:
            return False
        end(obj, day)
        return True

    # organisations ---------------------------------------------------------------------------

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

    # persons ---------------------------------------------------------------------------------

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
            placement = _row(Placement, rec)
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

    # duties ----------------------------------------------------------------------------------

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
        return duty.pk

    def _person(self, ref: str) -> Person:
        person = Person.objects.filter(external_id=ref).first()
        if person is None:
            raise RecordError(_("Unknown person %(id)s.") % {"id": ref})
        return person

    def _unit(self, ref: str) -> SchoolUnit:
        pk = self.units.get(ref)
        if pk is None:
            raise RecordError(_("Unknown school unit %(id)s.") % {"id": ref})
        return SchoolUnit.objects.get(pk=pk)

    # groups ----------------------------------------------------------------------------------

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
            row = _row(GroupMembership, rec)
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
                row = _row(Mentorship, rec)
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

    # activities ------------------------------------------------------------------------------

    def _apply_activities(self, ext: str, record: dict[str, Any]) -> None:
        values = parse.activity_values(record)
        groups = {g.external_id: g for g in Group.objects.filter(external_id__in=values.group_refs)}
        duties = {
            d.external_id: d
            for d in Duty.objects.filter(external_id__in=values.duty_refs).select_related("person")
        }
        children = self._children("teaching", ext)
        for ref in values.duty_refs:
            if ref not in duties:
                self.fail("teaching", ext, _("Unknown duty %(id)s.") % {"id": ref})
        for group_ref in values.group_refs:
            group = groups.get(group_ref)
            if group is None:
                if not SourceRecord.objects.filter(
                    source=self.source, kind="groups", external_id=group_ref
                ).exists():
                    self.fail("teaching", ext, _("Unknown group %(id)s.") % {"id": group_ref})
                continue
            for duty_ref, duty in duties.items():
                key = f"{ext}/{duty_ref}/{group_ref}"
                rec = children.get(key)
                row = _row(TeachingAssignment, rec)
                if row is None or row.end_date is not None:
                    row = org.teaching_assign(
                        actor=self.actor,
                        teacher=duty.person,
                        group=group,
                        start_date=values.period.start or self.today,
                    )
                    self.count("teaching", "created")
                if values.period.end and self._end(
                    row, self.enders["teaching"][1], on=values.period.end
                ):
                    self.count("teaching", "ended")
                self._remember("teaching", key, ext, row.pk, "", None, children)
