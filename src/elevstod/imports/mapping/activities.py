"""Activities: which teachers (duties) teach which groups, and in which subject (``syllabus``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from elevstod.organisation import services as org
from elevstod.organisation.models import Duty, Group, TeachingAssignment
from elevstod.organisation.services.subjects import group_set_subject, subject_for_code

from .. import parse
from ..models import SourceRecord
from .batch import Batch, row_of


class ActivitiesMapping(Batch):
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
            self._subject(group, values.subject)
            for duty_ref, duty in duties.items():
                key = f"{ext}/{duty_ref}/{group_ref}"
                rec = children.get(key)
                row = row_of(TeachingAssignment, rec)
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

    def _subject(self, group: Group, subject: parse.SubjectValues | None) -> None:
        """A teaching group gets the subject of its activity's syllabus; without a syllabus it
        keeps what it has. A class is taught many subjects and keeps none."""
        if subject is None or group.kind != Group.Kind.TEACHING:
            return
        row = subject_for_code(actor=self.actor, code=subject.code, name=subject.name)
        if group_set_subject(actor=self.actor, group=group, subject=row):
            self.count("groups", "subject set")
