"""Writes of extra adaptations. Each service: one transaction, the rules, the version row, the
audit event and the notifications to the pupil's teachers and mentors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from elevstod.accounts.models import User
from elevstod.core.errors import DomainError
from elevstod.core.timeutil import today
from elevstod.organisation.models import Person, SchoolUnit

from ..access import require_support_staff, support_unit_for
from ..errors import FieldError
from ..models import (
    AdaptationEvaluation,
    AdaptationFollowUp,
    AdaptationTemplate,
    Effect,
    ExtraAdaptation,
    NextStep,
)
from ..rules import MAX_BACKDATING, MAX_PLANNING_AHEAD
from ..selectors.adaptations import responsible_candidates, subjects_taught_at
from .adaptation_records import (
    audit_adaptation,
    check_record_date,
    lock_current,
    notify_teachers,
    set_next_follow_up,
    snapshot,
    write_version,
)
from .investigations import referral_submit
from .submissions import submission_claim, submission_done


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


# --- services ------------------------------------------------------------------------------


def _new_adaptation(
    *, actor: User, pupil: Person, data: AdaptationInput, template: AdaptationTemplate | None
) -> ExtraAdaptation:
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
    return adaptation


@transaction.atomic
def adaptation_create(
    *,
    actor: User,
    pupil: Person,
    data: AdaptationInput,
    template: AdaptationTemplate | None = None,
    token: str = "",
) -> ExtraAdaptation:
    earlier = submission_claim(actor=actor, token=token, model=ExtraAdaptation)
    if earlier is not None:
        return earlier
    require_support_staff(actor, pupil)
    adaptation = _new_adaptation(actor=actor, pupil=pupil, data=data, template=template)
    version = write_version(actor=actor, adaptation=adaptation, before=None)
    audit_adaptation(
        "support.adaptation.created",
        actor=actor,
        adaptation=adaptation,
        data={
            "version": 1,
            "template_id": template.pk if template else None,
            "fields": sorted(version.changes),
        },
    )
    notify_teachers(code="support.adaptation.created", actor=actor, adaptation=adaptation)
    submission_done(actor=actor, token=token, result=adaptation)
    return adaptation


@transaction.atomic
def adaptation_change(
    *, actor: User, adaptation_id: int, expected_version: int, data: AdaptationInput
) -> ExtraAdaptation:
    current = ExtraAdaptation.objects.select_related("pupil").get(pk=adaptation_id)
    require_support_staff(actor, current.pupil)
    subject_ids = _validate(data, unit=current.unit, pupil=current.pupil)
    adaptation = lock_current(adaptation_id, expected_version)
    before = snapshot(adaptation, adaptation.subjects.values_list("pk", flat=True))
    for field in EDITABLE_FIELDS:
        value = getattr(data, field)
        setattr(adaptation, field, value.strip() if isinstance(value, str) else value)
    adaptation.save()
    adaptation.subjects.set(subject_ids)
    version = write_version(actor=actor, adaptation=adaptation, before=before)
    audit_adaptation(
        "support.adaptation.changed",
        actor=actor,
        adaptation=adaptation,
        data={"version": adaptation.version, "fields": sorted(version.changes)},
    )
    notify_teachers(code="support.adaptation.changed", actor=actor, adaptation=adaptation)
    return adaptation


def _active_for_review(actor: User, adaptation_id: int, ended: Any) -> ExtraAdaptation:
    """The adaptation, locked, if the actor works with the pupil's support and it is active."""
    adaptation = (
        ExtraAdaptation.objects.select_for_update().select_related("pupil").get(pk=adaptation_id)
    )
    require_support_staff(actor, adaptation.pupil)
    if not adaptation.is_active:
        raise DomainError(ended)
    return adaptation


@transaction.atomic
def adaptation_follow_up(
    *,
    actor: User,
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
    adaptation = _active_for_review(
        actor, adaptation_id, _("The adaptation has ended: it can no longer be followed up.")
    )
    if not observation.strip():
        raise FieldError("observation", _("Write what you saw."))
    if effect not in Effect.values:
        raise FieldError("effect", _("Choose the effect."))
    check_record_date("date", date, adaptation)
    follow_up = AdaptationFollowUp.objects.create(
        adaptation=adaptation,
        date=date,
        observation=observation.strip(),
        effect=effect,
        created_by=actor,
    )
    if next_follow_up != adaptation.next_follow_up:
        set_next_follow_up(actor=actor, adaptation=adaptation, next_follow_up=next_follow_up)
    audit_adaptation(
        "support.adaptation.followed_up",
        actor=actor,
        adaptation=adaptation,
        data={"follow_up_id": follow_up.pk, "effect": effect},
    )
    notify_teachers(code="support.adaptation.followed_up", actor=actor, adaptation=adaptation)
    submission_done(actor=actor, token=token, result=follow_up)
    return follow_up


@transaction.atomic
def adaptation_evaluate(
    *,
    actor: User,
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
    adaptation = _active_for_review(
        actor, adaptation_id, _("The adaptation has ended: it can no longer be evaluated.")
    )
    _check_evaluation(adaptation, date=date, outcome=outcome, effect=effect, next_step=next_step)
    if next_step in (NextStep.CONTINUE, NextStep.CHANGE) and next_follow_up is None:
        raise FieldError(
            "next_follow_up", _("Plan the next follow-up when the adaptation goes on.")
        )
    evaluation = _record_evaluation(
        actor=actor,
        adaptation=adaptation,
        date=date,
        outcome=outcome,
        effect=effect,
        next_step=next_step,
        next_follow_up=next_follow_up,
    )
    if next_step == NextStep.REPORT:
        _report_to_principal(actor=actor, adaptation=adaptation, outcome=outcome)
    submission_done(actor=actor, token=token, result=evaluation)
    return evaluation


def _record_evaluation(
    *,
    actor: User,
    adaptation: ExtraAdaptation,
    date: dt.date,
    outcome: str,
    effect: str,
    next_step: str,
    next_follow_up: dt.date | None,
) -> AdaptationEvaluation:
    evaluation = AdaptationEvaluation.objects.create(
        adaptation=adaptation,
        date=date,
        outcome=outcome.strip(),
        effect=effect,
        next_step=next_step,
        created_by=actor,
    )
    ending = next_step == NextStep.END
    set_next_follow_up(
        actor=actor,
        adaptation=adaptation,
        next_follow_up=next_follow_up,
        end=date if ending else None,
    )
    audit_adaptation(
        "support.adaptation.evaluated",
        actor=actor,
        adaptation=adaptation,
        data={"evaluation_id": evaluation.pk, "effect": effect, "next_step": next_step},
    )
    code = "support.adaptation.ended" if ending else "support.adaptation.evaluated"
    notify_teachers(code=code, actor=actor, adaptation=adaptation)
    return evaluation


def _check_evaluation(
    adaptation: ExtraAdaptation, *, date: dt.date, outcome: str, effect: str, next_step: str
) -> None:
    if not outcome.strip():
        raise FieldError("outcome", _("Write the outcome of the evaluation."))
    if effect not in Effect.values:
        raise FieldError("effect", _("Choose the effect."))
    if next_step not in NextStep.values:
        raise FieldError("next_step", _("Choose the next step."))
    check_record_date("date", date, adaptation)


def _report_to_principal(*, actor: User, adaptation: ExtraAdaptation, outcome: str) -> None:
    """Adaptations are not enough: the evaluation starts a referral to the principal
    (Skollagen 3 kap. 7 §), in the same transaction, linked to the adaptations tried."""
    tried = ExtraAdaptation.objects.filter(pupil=adaptation.pupil, status="ACTIVE")
    referral_submit(
        actor=actor,
        pupil=adaptation.pupil,
        tried="",  # the adaptations linked say it; the page lists them once
        why=outcome.strip(),
        adaptation_ids=[adaptation.pk, *(a.pk for a in tried)],
    )


@transaction.atomic
def adaptation_end(
    *, actor: User, adaptation_id: int, expected_version: int, end_date: dt.date
) -> ExtraAdaptation:
    current = ExtraAdaptation.objects.select_related("pupil").get(pk=adaptation_id)
    require_support_staff(actor, current.pupil)
    check_record_date("end_date", end_date, current)
    adaptation = lock_current(adaptation_id, expected_version)
    before = snapshot(adaptation, adaptation.subjects.values_list("pk", flat=True))
    adaptation.status = ExtraAdaptation.Status.ENDED
    adaptation.end_date = end_date
    adaptation.next_follow_up = None
    adaptation.save()
    write_version(actor=actor, adaptation=adaptation, before=before)
    audit_adaptation(
        "support.adaptation.ended",
        actor=actor,
        adaptation=adaptation,
        data={"end_date": end_date.isoformat()},
    )
    notify_teachers(code="support.adaptation.ended", actor=actor, adaptation=adaptation)
    return adaptation
