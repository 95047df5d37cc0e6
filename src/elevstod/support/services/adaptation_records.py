"""What the services of extra adaptations share: who may write, the version row of each change
(changed fields old/new and a snapshot), the compare-and-set claim of the next version, the
audit event and the notifications to the pupil's teachers and mentors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from elevstod.accounts.models import User
from elevstod.audit.services import audit_record
from elevstod.core.errors import DomainError
from elevstod.core.timeutil import today
from elevstod.notifications.services import notification_send
from elevstod.organisation.access import Reason
from elevstod.organisation.staff_access import staff_with_access_to

from ..errors import FieldError, StaleVersion
from ..models import AdaptationVersion, ExtraAdaptation
from ..rules import MAX_BACKDATING


def snapshot(adaptation: ExtraAdaptation, subject_ids: Iterable[int]) -> dict[str, Any]:
    return {
        "title": adaptation.title,
        "description": adaptation.description,
        "need": adaptation.need,
        "all_subjects": adaptation.all_subjects,
        "subject_ids": sorted(subject_ids),
        "start_date": adaptation.start_date.isoformat(),
        "responsible_id": adaptation.responsible_id,
        "next_follow_up": adaptation.next_follow_up.isoformat()
        if adaptation.next_follow_up
        else None,
        "visible_to_family": adaptation.visible_to_family,
        "status": adaptation.status,
        "end_date": adaptation.end_date.isoformat() if adaptation.end_date else None,
    }


def write_version(
    *, actor: User, adaptation: ExtraAdaptation, before: dict[str, Any] | None
) -> AdaptationVersion:
    subject_ids = list(adaptation.subjects.values_list("pk", flat=True))
    after = snapshot(adaptation, subject_ids)
    changes = {
        key: [before.get(key) if before else None, value]
        for key, value in after.items()
        if before is None or before.get(key) != value
    }
    return AdaptationVersion.objects.create(
        adaptation=adaptation,
        version=adaptation.version,
        changed_by=actor,
        changes=changes,
        snapshot=after,
    )


def notify_teachers(*, code: str, actor: User, adaptation: ExtraAdaptation) -> None:
    """DOMAIN.md §3: a new or changed adaptation notifies the pupil's teachers and mentors."""
    people = staff_with_access_to(
        adaptation.pupil, reasons=frozenset({Reason.TEACHER, Reason.MENTOR})
    )
    recipients = User.objects.filter(person__in=people, is_active=True)
    notification_send(
        code=code,
        actor=actor,
        recipients=recipients,
        pupil=adaptation.pupil,
        url=reverse("support:adaptation_detail", args=[adaptation.pk]),
    )


def audit_adaptation(
    code: str, *, actor: User, adaptation: ExtraAdaptation, data: dict[str, Any]
) -> None:
    audit_record(
        code=code,
        actor=actor,
        obj=adaptation,
        pupil_id=adaptation.pupil_id,
        unit_id=adaptation.unit_id,
        data=data,
    )


def lock_current(adaptation_id: int, expected_version: int) -> ExtraAdaptation:
    """Compare-and-set: claim the next version number, or tell the user someone was first."""
    claimed = ExtraAdaptation.objects.filter(
        pk=adaptation_id, version=expected_version, status=ExtraAdaptation.Status.ACTIVE
    ).update(version=F("version") + 1)
    adaptation = ExtraAdaptation.objects.select_related("pupil").get(pk=adaptation_id)
    if not claimed:
        if not adaptation.is_active:
            raise DomainError(_("The adaptation has ended and can no longer be changed."))
        raise StaleVersion()
    return adaptation


def check_record_date(field: str, date: dt.date, adaptation: ExtraAdaptation) -> None:
    day = today()
    if date > day:
        raise FieldError(field, _("The date cannot be in the future."))
    if date < adaptation.start_date:
        raise FieldError(field, _("The date cannot be before the adaptation started."))
    if date < day - MAX_BACKDATING:
        raise FieldError(field, _("The date is too far back. Check the year."))


def set_next_follow_up(
    *,
    actor: User,
    adaptation: ExtraAdaptation,
    next_follow_up: dt.date | None,
    end: dt.date | None = None,
) -> None:
    """Move the next follow-up date (or end the adaptation: no next date) as a new version."""
    if end is not None:
        next_follow_up = None
    if next_follow_up is not None and next_follow_up <= today():
        raise FieldError("next_follow_up", _("The next follow-up must be after today."))
    before = snapshot(adaptation, adaptation.subjects.values_list("pk", flat=True))
    ExtraAdaptation.objects.filter(pk=adaptation.pk).update(version=F("version") + 1)
    adaptation.version += 1
    adaptation.next_follow_up = next_follow_up
    if end is not None:
        adaptation.status = ExtraAdaptation.Status.ENDED
        adaptation.end_date = end
    adaptation.save(update_fields=["next_follow_up", "status", "end_date", "version", "updated_at"])
    write_version(actor=actor, adaptation=adaptation, before=before)
