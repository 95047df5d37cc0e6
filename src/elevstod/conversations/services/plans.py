"""The written individual development plan of a term: start, draft, the teachers' subject
parts, the dated snapshot of the extra adaptations, and fixing it as a version.

A fixed version is a ``PlanVersion`` row the database never lets change. Changing a fixed plan
starts the next version as a draft; fixing that writes version 2, with who and when."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from elevstod.accounts.models import User
from elevstod.audit.services import access_log_record, audit_record
from elevstod.core.errors import DomainError
from elevstod.core.timeutil import today
from elevstod.notifications.services import notification_send
from elevstod.organisation.access import Reason, Right, pupil_grant
from elevstod.organisation.models import GroupMembership, Person, Subject
from elevstod.support.selectors.adaptations import adaptations_for_pupil

from ..access import STAFF_READERS, subjects_taught_to, talk_reasons
from ..models import (
    AdaptationSnapshot,
    DevelopmentPlan,
    DevelopmentTalk,
    PlanVersion,
    SubjectNote,
)
from ..selectors import plan_content, plan_in_other_years
from ..terms import current_term, is_earlier_term, plan_allowed
from .common import acting_person, current_placement, grant_for, mentor_grant
from .talks import family_users

FIXED = _("The plan is fixed for the term. The mentor can start a new version.")
NO_MODULE = _(
    "There are no extra adaptations to take a picture of here: without the support module, "
    "write them under the school's efforts."
)
HISTORY = _("The plan of an earlier term is history: it is not changed. Write in this term's plan.")


def plan_url(plan: DevelopmentPlan) -> str:
    return reverse("conversations:plan_detail", args=[plan.pk])


@transaction.atomic
def plan_start(*, actor: User, pupil: Person) -> DevelopmentPlan:
    """The mentor starts the plan of the current term (or gets the one already started)."""
    mentor_grant(actor, pupil)
    placement = current_placement(pupil)
    if not plan_allowed(placement.school_year, other_years=plan_in_other_years(placement.unit_id)):
        raise DomainError(
            _(
                "The development plan is written in years 1-5; %(unit)s does not write it in "
                "year %(year)s."
            )
            % {"unit": placement.unit.name, "year": placement.school_year_label}
        )
    term = current_term().code
    plan, created = DevelopmentPlan.objects.get_or_create(
        pupil=pupil,
        term=term,
        defaults={
            "unit": placement.unit,
            "school_year": placement.school_year,
            "created_by": actor,
            "talk": DevelopmentTalk.objects.filter(pupil=pupil, term=term).first(),
        },
    )
    if created:
        audit_record(
            code="conversations.plan.started",
            actor=actor,
            obj=plan,
            pupil_id=pupil.pk,
            unit_id=plan.unit_id,
            data={"term": term},
        )
    return plan


@dataclass(frozen=True)
class PlanInput:
    pupil_will: str
    guardians_will: str
    school_efforts: str


def _locked(plan_id: int) -> DevelopmentPlan:
    return DevelopmentPlan.objects.select_for_update().select_related("pupil").get(pk=plan_id)


def _not_history(plan: DevelopmentPlan) -> None:
    """An earlier term's plan stays as it was (like an earlier term's talk): the new term gets
    a plan of its own."""
    if is_earlier_term(plan.term):
        raise DomainError(HISTORY, code="history")


@transaction.atomic
def plan_update(*, actor: User, plan_id: int, data: PlanInput) -> DevelopmentPlan:
    """The mentor drafts the plan. On a fixed plan this starts the next version (the fixed one
    stays as it was)."""
    plan = _locked(plan_id)
    mentor_grant(actor, plan.pupil)
    _not_history(plan)
    reopened = plan.is_fixed
    if reopened:
        plan.state = DevelopmentPlan.State.DRAFT
        plan.version += 1
    plan.pupil_will = data.pupil_will.strip()
    plan.guardians_will = data.guardians_will.strip()
    plan.school_efforts = data.school_efforts.strip()
    plan.save()
    audit_record(
        code="conversations.plan.reopened" if reopened else "conversations.plan.drafted",
        actor=actor,
        obj=plan,
        pupil_id=plan.pupil_id,
        unit_id=plan.unit_id,
        data={"version": plan.version},
    )
    return plan


def subjects_writable(actor: User, plan: DevelopmentPlan) -> set[int]:
    """The subjects the actor may write in the plan: the mentor all the pupil's subjects, a
    teacher those they teach the pupil."""
    reasons = talk_reasons(actor, pupil_grant(actor, plan.pupil))
    if not reasons & STAFF_READERS:
        return set()
    taught = subjects_taught_to(actor, plan.pupil)
    if Reason.MENTOR in reasons:
        taught |= set(
            GroupMembership.objects.active()
            .filter(pupil=plan.pupil, group__subject__isnull=False)
            .values_list("group__subject_id", flat=True)
        )
    return taught


@transaction.atomic
def subject_note_save(
    *, actor: User, plan_id: int, subject_id: int, strengths: str, development: str
) -> SubjectNote:
    """A teacher writes the plan's part of a subject they teach the pupil, in plain words."""
    plan = _locked(plan_id)
    grant = grant_for(actor, plan.pupil)
    if not grant.is_staff or subject_id not in subjects_writable(actor, plan):
        raise DomainError(_("You do not teach the pupil this subject."), code="forbidden")
    _not_history(plan)
    if plan.is_fixed:
        raise DomainError(FIXED, code="fixed")
    note, _created = SubjectNote.objects.update_or_create(
        plan=plan,
        subject=Subject.objects.get(pk=subject_id),
        defaults={
            "strengths": strengths.strip(),
            "development": development.strip(),
            "written_by": acting_person(actor),
        },
    )
    audit_record(
        code="conversations.plan.subject_written",
        actor=actor,
        obj=plan,
        pupil_id=plan.pupil_id,
        unit_id=plan.unit_id,
        data={"subject": subject_id},
    )
    return note


def _adaptation_items(actor: User, pupil: Person) -> list[dict[str, Any]]:
    """The adaptations that apply today, read through the support app and logged."""
    grant = pupil_grant(actor, pupil)
    allowed = grant.has(Right.VIEW_SUPPORT)
    access_log_record(
        actor=actor,
        pupil_id=pupil.pk,
        purpose="conversations.plan.snapshot",
        reasons=grant.reasons,
        granted=allowed,
    )
    if not allowed:
        raise DomainError(NO_MODULE)
    return [
        {
            "id": a.pk,
            "title": a.title,
            "description": a.description,
            "subjects": [s.name for s in a.subjects.all()],
            "all_subjects": a.all_subjects,
            "visible_to_family": a.visible_to_family,
        }
        for a in adaptations_for_pupil(grant=grant).active
    ]


@transaction.atomic
def plan_snapshot(*, actor: User, plan_id: int) -> AdaptationSnapshot:
    """The mentor takes a dated picture of the extra adaptations that apply today."""
    plan = _locked(plan_id)
    mentor_grant(actor, plan.pupil)
    _not_history(plan)
    if plan.is_fixed:
        raise DomainError(FIXED, code="fixed")
    # one picture a day: taking it again the same day (or a double click) replaces it
    snapshot, _created = AdaptationSnapshot.objects.update_or_create(
        plan=plan,
        taken_on=today(),
        defaults={"taken_by": acting_person(actor), "items": _adaptation_items(actor, plan.pupil)},
    )
    audit_record(
        code="conversations.plan.snapshot_taken",
        actor=actor,
        obj=plan,
        pupil_id=plan.pupil_id,
        unit_id=plan.unit_id,
        data={"adaptations": [item["id"] for item in snapshot.items]},
    )
    return snapshot


@transaction.atomic
def plan_fix(*, actor: User, plan_id: int) -> PlanVersion:
    """The mentor fixes the plan for the term: its content becomes a version that never
    changes; the pupil and guardians can read it."""
    plan = _locked(plan_id)
    mentor_grant(actor, plan.pupil)
    _not_history(plan)
    if plan.is_fixed:
        raise DomainError(FIXED, code="fixed")
    if not (plan.school_efforts or plan.pupil_will or plan.subjects.exists()):
        raise DomainError(_("Write the plan before you fix it."))
    version = PlanVersion.objects.create(
        plan=plan, number=plan.version, content=plan_content(plan), fixed_by=acting_person(actor)
    )
    plan.state = DevelopmentPlan.State.FIXED
    plan.save(update_fields=["state", "updated_at"])
    audit_record(
        code="conversations.plan.fixed",
        actor=actor,
        obj=plan,
        pupil_id=plan.pupil_id,
        unit_id=plan.unit_id,
        data={"version": version.number},
    )
    notification_send(
        code="conversations.plan.fixed",
        actor=actor,
        recipients=family_users(plan.pupil),
        url=plan_url(plan),
        pupil=plan.pupil,
    )
    return version
