"""Writes of extra adaptations. Each service: one transaction, the rules, the version row, the
audit event and the notifications to the pupil's teachers and mentors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from elevstod.audit.services import audit_record
from elevstod.core.errors import DomainError
from elevstod.core.timeutil import today
from elevstod.notifications.services import notification_send
from elevstod.organisation.access import (
    Reason,
    staff_with_access_to,
)
from elevstod.organisation.models import Group, Person, SchoolUnit, Subject

from ..access import require_support_staff, support_unit_for
from ..models import (
    AdaptationEvaluation,
    AdaptationFollowUp,
    AdaptationTemplate,
    AdaptationVersion,
    Effect,
    ExtraAdaptation,
    NextStep,
)
from ..rules import MAX_BACKDATING, MAX_PLANNING_AHEAD
from .submissions import submission_claim, submission_done


class FieldError(DomainError):
    """A rule refused one input field: the form shows the message next to that field."""

    def __init__(self, field: str, message: Any) -> None:
        super().__init__(message, code="invalid")
        self.field = field


class StaleVersion(DomainError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else changed this adaptation while you were editing it. Your text is "
                "kept below: compare with the current version and save again."
            ),
            code="stale",
        )


@dataclass(frozen=True)
class AdaptationInput:
    """What a user writes about an adaptation; parsed by a form, checked by ``_validate``."""

    title: str
    description: str
    need: str
    all_subjects: bool
    subject_ids: Sequence[int]
    start_date: dt.date
    responsible_id: int
    next_follow_up: dt.date | None
    visible_to_family: bool


EDITABLE_FIELDS = (
    "title",
    "description",
    "need",
    "all_subjects",
    "start_date",
    "responsible_id",
    "next_follow_up",
    "visible_to_family",
)


# --- rules ---------------------------------------------------------------------------------


def subjects_taught_at(unit: SchoolUnit) -> list[Subject]:
    ids = Group.objects.active().filter(unit=unit, subject__isnull=False).values("subject_id")
    return list(Subject.objects.filter(pk__in=ids).order_by("name"))


def responsible_candidates(pupil: Person) -> list[Person]:
    """Who may be responsible for a pupil's adaptation: staff who work with the pupil's support."""
    reasons = frozenset({Reason.TEACHER, Reason.MENTOR, Reason.PRINCIPAL, Reason.PUPIL_HEALTH})
    return list(staff_with_access_to(pupil, reasons=reasons).order_by("family_name", "given_name"))


# The two texts an adaptation cannot do without; forms show the same words when left empty.
TITLE_REQUIRED = _("Write what is adapted.")
NEED_REQUIRED = _("Write the observed need: why the pupil needs the adaptation.")


def _validate(data: AdaptationInput, *, unit: SchoolUnit, pupil: Person) -> list[int]:
    if not data.title.strip():
        raise FieldError("title", TITLE_REQUIRED)
    if not data.need.strip():
        raise FieldError("need", NEED_REQUIRED)
    day = today()
    if data.start_date < day - MAX_BACKDATING:
        raise FieldError("start_date", _("The start date is too far back. Check the year."))
    if data.start_date > day + MAX_PLANNING_AHEAD:
        raise FieldError("start_date", _("The start date is too far ahead."))
    if data.next_follow_up is not None:
        if data.next_follow_up < data.start_date:
            raise FieldError("next_follow_up", _("The follow-up cannot be before the start."))
        if data.next_follow_up > day + MAX_PLANNING_AHEAD:
            raise FieldError("next_follow_up", _("Plan the follow-up within a year."))
    subject_ids = sorted(set(data.subject_ids))
    if data.all_subjects:
        subject_ids = []
    elif not subject_ids:
        raise FieldError("subjects", _("Choose at least one subject, or across all subjects."))
    else:
        taught = {s.pk for s in subjects_taught_at(unit)}
        if not set(subject_ids) <= taught:
            raise FieldError(
                "subjects", _("Choose only subjects taught at %(unit)s.") % {"unit": unit.name}
            )
    if data.responsible_id not in {p.pk for p in responsible_candidates(pupil)}:
        raise FieldError("responsible", _("The responsible person must work with the pupil."))
    return subject_ids


def _snapshot(adaptation: ExtraAdaptation, subject_ids: Iterable[int]) -> dict[str, Any]:
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


def _write_version(
    *, actor: Any, adaptation: ExtraAdaptation, before: dict[str, Any] | None
) -> AdaptationVersion:
    subject_ids = list(adaptation.subjects.values_list("pk", flat=True))
    after = _snapshot(adaptation, subject_ids)
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


def _notify(*, code: str, actor: Any, adaptation: ExtraAdaptation) -> None:
    """DOMAIN.md §3: a new or changed adaptation notifies the pupil's teachers and mentors."""
    people = staff_with_access_to(
        adaptation.pupil, reasons=frozenset({Reason.TEACHER, Reason.MENTOR})
    )
    from elevstod.accounts.models import User

    recipients = User.objects.filter(person__in=people, is_active=True)
    notification_send(
        code=code,
        actor=actor,
        recipients=recipients,
        pupil=adaptation.pupil,
        url=reverse("support:adaptation_detail", args=[adaptation.pk]),
    )


def _audit(code: str, *, actor: Any, adaptation: ExtraAdaptation, data: dict[str, Any]) -> None:
    audit_record(
        code=code,
        actor=actor,
        obj=adaptation,
        pupil_id=adaptation.pupil_id,
        unit_id=adaptation.unit_id,
        data=data,
    )


# --- services ------------------------------------------------------------------------------


@transaction.atomic
def adaptation_create(
    *,
    actor: Any,
    pupil: Person,
    data: AdaptationInput,
    template: AdaptationTemplate | None = None,
    token: str = "",
) -> ExtraAdaptation:
    earlier = submission_claim(actor=actor, token=token, model=ExtraAdaptation)
    if earlier is not None:
        return earlier
    require_support_staff(actor, pupil)
    unit = support_unit_for(pupil)
    subject_ids = _validate(data, unit=unit, pupil=pupil)
    adaptation = ExtraAdaptation.objects.create(
        pupil=pupil,
        unit=unit,
        title=data.title.strip(),
        description=data.description.strip(),
        need=data.need.strip(),
        all_subjects=data.all_subjects,
        start_date=data.start_date,
        responsible_id=data.responsible_id,
        next_follow_up=data.next_follow_up,
        visible_to_family=data.visible_to_family,
        template=template,
        created_by=actor,
    )
    adaptation.subjects.set(subject_ids)
    version = _write_version(actor=actor, adaptation=adaptation, before=None)
    _audit(
        "support.adaptation.created",
        actor=actor,
        adaptation=adaptation,
        data={
            "version": 1,
            "template_id": template.pk if template else None,
            "fields": sorted(version.changes),
        },
    )
    _notify(code="support.adaptation.created", actor=actor, adaptation=adaptation)
    submission_done(actor=actor, token=token, result=adaptation)
    return adaptation


def _lock_current(adaptation_id: int, expected_version: int) -> ExtraAdaptation:
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


@transaction.atomic
def adaptation_change(
    *, actor: Any, adaptation_id: int, expected_version: int, data: AdaptationInput
) -> ExtraAdaptation:
    current = ExtraAdaptation.objects.select_related("pupil").get(pk=adaptation_id)
    require_support_staff(actor, current.pupil)
    subject_ids = _validate(data, unit=current.unit, pupil=current.pupil)
    adaptation = _lock_current(adaptation_id, expected_version)
    before = _snapshot(adaptation, adaptation.subjects.values_list("pk", flat=True))
    for field in EDITABLE_FIELDS:
        value = getattr(data, field)
        setattr(adaptation, field, value.strip() if isinstance(value, str) else value)
    adaptation.save()
    adaptation.subjects.set(subject_ids)
    version = _write_version(actor=actor, adaptation=adaptation, before=before)
    _audit(
        "support.adaptation.changed",
        actor=actor,
        adaptation=adaptation,
        data={"version": adaptation.version, "fields": sorted(version.changes)},
    )
    _notify(code="support.adaptation.changed", actor=actor, adaptation=adaptation)
    return adaptation


def _check_record_date(field: str, date: dt.date, adaptation: ExtraAdaptation) -> None:
    day = today()
    if date > day:
        raise FieldError(field, _("The date cannot be in the future."))
    if date < adaptation.start_date:
        raise FieldError(field, _("The date cannot be before the adaptation started."))
    if date < day - MAX_BACKDATING:
        raise FieldError(field, _("The date is too far back. Check the year."))


def _set_next_follow_up(
    *,
    actor: Any,
    adaptation: ExtraAdaptation,
    next_follow_up: dt.date | None,
    end: dt.date | None = None,
) -> None:
    """Move the next follow-up date (or end the adaptation) as a new version of it."""
    if next_follow_up is not None and next_follow_up <= today():
        raise FieldError("next_follow_up", _("The next follow-up must be after today."))
    before = _snapshot(adaptation, adaptation.subjects.values_list("pk", flat=True))
    ExtraAdaptation.objects.filter(pk=adaptation.pk).update(version=F("version") + 1)
    adaptation.version += 1
    adaptation.next_follow_up = next_follow_up
    if end is not None:
        adaptation.status = ExtraAdaptation.Status.ENDED
        adaptation.end_date = end
    adaptation.save(update_fields=["next_follow_up", "status", "end_date", "version", "updated_at"])
    _write_version(actor=actor, adaptation=adaptation, before=before)


@transaction.atomic
def adaptation_follow_up(
    *,
    actor: Any,
    adaptation_id: int,
    date: dt.date,
    observation: str,
    effect: str,
    next_follow_up: dt.date | None,
    token: str = "",
) -> AdaptationFollowUp:
    earlier = submission_claim(actor=actor, token=token, model=AdaptationFollowUp)
    if earlier is not None:
        return earlier
    adaptation = (
        ExtraAdaptation.objects.select_for_update().select_related("pupil").get(pk=adaptation_id)
    )
    require_support_staff(actor, adaptation.pupil)
    if not adaptation.is_active:
        raise DomainError(_("The adaptation has ended: it can no longer be followed up."))
    if not observation.strip():
        raise FieldError("observation", _("Write what you saw."))
    if effect not in Effect.values:
        raise FieldError("effect", _("Choose the effect."))
    _check_record_date("date", date, adaptation)
    follow_up = AdaptationFollowUp.objects.create(
        adaptation=adaptation,
        date=date,
        observation=observation.strip(),
        effect=effect,
        created_by=actor,
    )
    if next_follow_up != adaptation.next_follow_up:
        _set_next_follow_up(actor=actor, adaptation=adaptation, next_follow_up=next_follow_up)
    _audit(
        "support.adaptation.followed_up",
        actor=actor,
        adaptation=adaptation,
        data={"follow_up_id": follow_up.pk, "effect": effect},
    )
    _notify(code="support.adaptation.followed_up", actor=actor, adaptation=adaptation)
    submission_done(actor=actor, token=token, result=follow_up)
    return follow_up


@transaction.atomic
def adaptation_evaluate(
    *,
    actor: Any,
    adaptation_id: int,
    date: dt.date,
    outcome: str,
    effect: str,
    next_step: str,
    next_follow_up: dt.date | None = None,
    token: str = "",
) -> AdaptationEvaluation:
    """Evaluate an adaptation and record the next step. ``END`` ends it (it stays in the pupil's
    history); ``CONTINUE`` and ``CHANGE`` keep it active with a new follow-up date; ``REPORT``
    records that adaptations are not enough (the referral to the principal is its own step)."""
    earlier = submission_claim(actor=actor, token=token, model=AdaptationEvaluation)
    if earlier is not None:
        return earlier
    adaptation = (
        ExtraAdaptation.objects.select_for_update().select_related("pupil").get(pk=adaptation_id)
    )
    require_support_staff(actor, adaptation.pupil)
    if not adaptation.is_active:
        raise DomainError(_("The adaptation has ended: it can no longer be evaluated."))
    if not outcome.strip():
        raise FieldError("outcome", _("Write the outcome of the evaluation."))
    if effect not in Effect.values:
        raise FieldError("effect", _("Choose the effect."))
    if next_step not in NextStep.values:
        raise FieldError("next_step", _("Choose the next step."))
    _check_record_date("date", date, adaptation)
    if next_step in (NextStep.CONTINUE, NextStep.CHANGE) and next_follow_up is None:
        raise FieldError(
            "next_follow_up", _("Plan the next follow-up when the adaptation goes on.")
        )
    evaluation = AdaptationEvaluation.objects.create(
        adaptation=adaptation,
        date=date,
        outcome=outcome.strip(),
        effect=effect,
        next_step=next_step,
        created_by=actor,
    )
    ending = next_step == NextStep.END
    _set_next_follow_up(
        actor=actor,
        adaptation=adaptation,
        next_follow_up=None if ending else next_follow_up,
        end=date if ending else None,
    )
    _audit(
        "support.adaptation.evaluated",
        actor=actor,
        adaptation=adaptation,
        data={"evaluation_id": evaluation.pk, "effect": effect, "next_step": next_step},
    )
    _notify(
        code="support.adaptation.ended" if ending else "support.adaptation.evaluated",
        actor=actor,
        adaptation=adaptation,
    )
    if next_step == NextStep.REPORT:
        _report_to_principal(actor=actor, adaptation=adaptation, outcome=outcome)
    submission_done(actor=actor, token=token, result=evaluation)
    return evaluation


def _report_to_principal(*, actor: Any, adaptation: ExtraAdaptation, outcome: str) -> None:
    """Adaptations are not enough: the evaluation starts a referral to the principal
    (Skollagen 3 kap. 7 §), in the same transaction, linked to the adaptations tried."""
    from .investigations import referral_submit

    tried = ExtraAdaptation.objects.filter(pupil=adaptation.pupil, status="ACTIVE")
    referral_submit(
        actor=actor,
        pupil=adaptation.pupil,
        tried="\n".join(f"- {a.title}" for a in tried) or adaptation.title,
        why=outcome.strip(),
        adaptation_ids=[a.pk for a in tried],
    )


@transaction.atomic
def adaptation_end(
    *, actor: Any, adaptation_id: int, expected_version: int, end_date: dt.date
) -> ExtraAdaptation:
    current = ExtraAdaptation.objects.select_related("pupil").get(pk=adaptation_id)
    require_support_staff(actor, current.pupil)
    _check_record_date("end_date", end_date, current)
    adaptation = _lock_current(adaptation_id, expected_version)
    before = _snapshot(adaptation, adaptation.subjects.values_list("pk", flat=True))
    adaptation.status = ExtraAdaptation.Status.ENDED
    adaptation.end_date = end_date
    adaptation.next_follow_up = None
    adaptation.save()
    _write_version(actor=actor, adaptation=adaptation, before=before)
    _audit(
        "support.adaptation.ended",
        actor=actor,
        adaptation=adaptation,
        data={"end_date": end_date.isoformat()},
    )
    _notify(code="support.adaptation.ended", actor=actor, adaptation=adaptation)
    return adaptation
