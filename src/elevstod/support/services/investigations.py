"""Referrals to the principal and investigations (Skollagen 3 kap. 7 §)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from elevstod.accounts.models import User
from elevstod.audit.services import audit_record
from elevstod.core.errors import DomainError
from elevstod.core.timeutil import today
from elevstod.notifications.services import notification_send
from elevstod.organisation.models import Duty, Person, SchoolUnit
from elevstod.organisation.staff_access import staff_with_access_to

from .. import workflow as wf
from ..access import acting_person, support_unit_for
from ..authority import decider_basis, require_investigator, require_principal
from ..errors import FieldError, StaleVersion
from ..models import ActionProgramme, ExtraAdaptation, Investigation, Referral
from ..steps import INVITE_CONTRIBUTORS, steps_for
from .decisions import decide
from .submissions import submission_claim, submission_done
from .transitions import advance, require_actor, require_new


def _audit(code: str, *, actor: User, obj: Any, data: dict[str, Any] | None = None) -> None:
    audit_record(
        code=code, actor=actor, obj=obj, pupil_id=obj.pupil_id, unit_id=obj.unit_id, data=data or {}
    )


@transaction.atomic
def referral_submit(
    *,
    actor: User,
    pupil: Person,
    tried: str,
    why: str,
    adaptation_ids: Sequence[int] = (),
    token: str = "",
) -> Referral:
    """Any staff member of the pupil reports to the principal that adaptations are not enough."""
    earlier = submission_claim(actor=actor, token=token, model=Referral)
    if earlier is not None:
        return earlier
    unit = support_unit_for(pupil)
    require_new(Referral(pupil=pupil, unit=unit), wf.Entity.REFERRAL, "submit", actor=actor)
    adaptations = list(ExtraAdaptation.objects.filter(pk__in=list(adaptation_ids), pupil=pupil))
    # The adaptations ticked are what was tried; words are needed only for anything else.
    if not tried.strip() and not adaptations:
        raise FieldError("tried", _("Write what has been tried, or tick the adaptations tried."))
    if not why.strip():
        raise FieldError("why", _("Write why it is not enough."))
    referral = Referral.objects.create(
        pupil=pupil,
        unit=unit,
        reported_by=actor,
        reporter=acting_person(actor),
        tried=tried.strip(),
        why=why.strip(),
        state=wf.ReferralState.OPEN,
    )
    referral.adaptations.set(adaptations)
    _audit("support.referral.submitted", actor=actor, obj=referral)
    _notify_principals(actor, referral)
    submission_done(actor=actor, token=token, result=referral)
    return referral


def _notify_principals(actor: User, referral: Referral) -> None:
    principals = Duty.objects.active().filter(unit=referral.unit, role=Duty.Role.PRINCIPAL)
    notification_send(
        code="support.referral.submitted",
        actor=actor,
        pupil=referral.pupil,
        recipients=User.objects.filter(person__duties__in=principals),
        url=reverse("support:referral_detail", args=[referral.pk]),
    )


@dataclass(frozen=True)
class InvestigationInput:
    mapping_individual: str = ""
    mapping_group: str = ""
    mapping_school: str = ""
    assessment: str = ""
    health_consulted: bool | None = None
    health_not_consulted_reason: str = ""
    pupil_views: str = ""
    guardian_views: str = ""
    planned_decision_date: dt.date | None = None


# The defaults of a new investigation (3 kap. 7 §: investigated promptly), when the principal
# leaves them out: the principal investigates, and the decision is planned four weeks ahead.
DEFAULT_DECISION_PERIOD = dt.timedelta(weeks=4)
DEFAULT_INVESTIGATOR_TAKEN = _(
    "No investigator was named, so you, the principal, investigate. You can invite others."
)
DEFAULT_DATE_TAKEN = _(
    "No decision date was given, so it is planned four weeks from today: %(date)s."
)


@dataclass(frozen=True)
class StartPlan:
    investigator_ids: list[int]
    planned_decision_date: dt.date
    defaults_taken: list[str]  # what the page tells the principal was filled in


def _start_plan(
    actor: User, investigator_ids: Sequence[int], planned_decision_date: dt.date | None
) -> StartPlan:
    taken: list[str] = []
    ids = list(investigator_ids)
    if not ids:
        ids = [acting_person(actor).pk]
        taken.append(str(DEFAULT_INVESTIGATOR_TAKEN))
    if planned_decision_date is None:
        planned_decision_date = today() + DEFAULT_DECISION_PERIOD
        taken.append(str(DEFAULT_DATE_TAKEN) % {"date": planned_decision_date.isoformat()})
    return StartPlan(ids, planned_decision_date, taken)


def _staff_ids(investigation_pupil: Person) -> set[int]:
    return {p.pk for p in staff_with_access_to(investigation_pupil)}


def _check_start(
    pupil: Person, unit: SchoolUnit, *, referral: Referral | None, based_on: Investigation | None
) -> None:
    if referral is not None and (referral.pupil_id != pupil.pk or referral.unit_id != unit.pk):
        raise DomainError(_("The referral is about another pupil or unit."))
    if Investigation.objects.filter(
        pupil=pupil, unit=unit, state=wf.InvestigationState.IN_PROGRESS
    ).exists():
        raise DomainError(_("An investigation of the pupil is already in progress at the unit."))
    if based_on is not None and based_on.pupil_id != pupil.pk:
        raise DomainError(_("The existing investigation is about another pupil."))


def _check_plan(
    pupil: Person, investigator_ids: Sequence[int], planned_decision_date: dt.date | None
) -> None:
    if planned_decision_date is not None and planned_decision_date < today():
        raise FieldError("planned_decision_date", _("The planned decision date has passed."))
    if not set(investigator_ids) <= _staff_ids(pupil):
        raise FieldError("investigators", _("Investigators must work with the pupil."))


def _new_investigation(
    actor: User, pupil: Person, unit: SchoolUnit, *, plan: StartPlan, based_on: Investigation | None
) -> Investigation:
    investigation = Investigation.objects.create(
        pupil=pupil,
        unit=unit,
        state=wf.InvestigationState.IN_PROGRESS,
        based_on=based_on,
        planned_decision_date=plan.planned_decision_date,
        started_by=actor,
        **(_copied_content(based_on) if based_on else {}),
    )
    investigation.investigators.set(plan.investigator_ids)
    investigation.defaults_taken = tuple(plan.defaults_taken)
    return investigation


def _handle_referral(actor: User, referral: Referral, investigation: Investigation) -> None:
    """The referral that led to the investigation is handled by starting it."""
    advance(
        referral,
        wf.Entity.REFERRAL,
        "handle",
        actor=actor,
        investigation=investigation,
        handled_at=timezone.now(),
    )
    _audit(
        "support.referral.handled",
        actor=actor,
        obj=referral,
        data={"investigation_id": investigation.pk},
    )


@transaction.atomic
def investigation_start(
    *,
    actor: User,
    pupil: Person,
    investigator_ids: Sequence[int],
    planned_decision_date: dt.date | None,
    referral: Referral | None = None,
    based_on: Investigation | None = None,
    token: str = "",
) -> Investigation:
    """The principal starts an investigation, promptly after a referral; at a new unit it may
    start from an existing investigation of the pupil (``based_on``). Without investigators
    or a decision date it takes the defaults (``_start_plan``) and says so in
    ``investigation.defaults_taken``."""
    earlier = submission_claim(actor=actor, token=token, model=Investigation)
    if earlier is not None:
        return earlier
    unit = support_unit_for(pupil)
    new = Investigation(pupil=pupil, unit=unit)
    require_new(new, wf.Entity.INVESTIGATION, "start", actor=actor)
    _check_start(pupil, unit, referral=referral, based_on=based_on)
    _check_plan(pupil, investigator_ids, planned_decision_date)
    plan = _start_plan(actor, investigator_ids, planned_decision_date)
    investigation = _new_investigation(actor, pupil, unit, plan=plan, based_on=based_on)
    if referral is not None:
        _handle_referral(actor, referral, investigation)
    _notify_people(actor, investigation, plan.investigator_ids)
    _audit(
        "support.investigation.started",
        actor=actor,
        obj=investigation,
        data={
            "based_on": based_on.pk if based_on else None,
            "default_investigator": not investigator_ids,
            "default_decision_date": planned_decision_date is None,
        },
    )
    submission_done(actor=actor, token=token, result=investigation)
    return investigation


def _notify_people(actor: User, investigation: Investigation, person_ids: Sequence[int]) -> None:
    notification_send(
        code="support.investigation.assigned",
        actor=actor,
        pupil=investigation.pupil,
        recipients=User.objects.filter(person_id__in=list(person_ids), is_active=True),
        url=reverse("support:investigation_detail", args=[investigation.pk]),
    )


def _copied_content(source: Investigation) -> dict[str, Any]:
    fields = (
        "mapping_individual",
        "mapping_group",
        "mapping_school",
        "assessment",
        "pupil_views",
        "guardian_views",
    )
    return {f: getattr(source, f) for f in fields}


@transaction.atomic
def investigation_update(
    *, actor: User, investigation_id: int, expected_version: int, data: InvestigationInput
) -> Investigation:
    investigation = Investigation.objects.select_related("pupil").get(pk=investigation_id)
    require_investigator(actor, investigation)
    if data.health_consulted is False and not data.health_not_consulted_reason.strip():
        raise FieldError(
            "health_not_consulted_reason",
            _("Write why consulting the pupil health team was clearly unnecessary."),
        )
    changes = {f: getattr(data, f) for f in InvestigationInput.__dataclass_fields__}
    updated = Investigation.objects.filter(
        pk=investigation_id,
        version=expected_version,
        state=wf.InvestigationState.IN_PROGRESS,
    ).update(version=expected_version + 1, updated_at=timezone.now(), **changes)
    if not updated:
        raise StaleVersion()
    investigation.refresh_from_db()
    _audit(
        "support.investigation.changed",
        actor=actor,
        obj=investigation,
        data={"version": investigation.version},
    )
    return investigation


@transaction.atomic
def investigation_invite(*, actor: User, investigation_id: int, person_ids: Sequence[int]) -> None:
    """The principal invites contributors to an investigation in progress: asked of
    ``steps_for`` (``INVITE_CONTRIBUTORS``), so a concluded investigation is refused."""
    investigation = Investigation.objects.select_related("unit", "pupil").get(pk=investigation_id)
    require_principal(actor, investigation.unit)
    if INVITE_CONTRIBUTORS not in steps_for(actor, investigation):
        raise DomainError(
            _("This step is not possible for you on this case now."), code="forbidden"
        )
    if not set(person_ids) <= _staff_ids(investigation.pupil):
        raise FieldError("contributors", _("Contributors must work with the pupil."))
    investigation.contributors.add(*person_ids)
    _notify_people(actor, investigation, person_ids)
    _audit(
        "support.investigation.contributors_invited",
        actor=actor,
        obj=investigation,
        data={"person_ids": list(person_ids)},
    )


def _require_complete(investigation: Investigation) -> None:
    if not (investigation.mapping_individual.strip() and investigation.assessment.strip()):
        raise DomainError(_("Write the mapping and the pedagogical assessment before deciding."))
    if investigation.health_consulted is None:
        raise DomainError(_("Record whether the pupil health team was consulted."))


@transaction.atomic
def investigation_conclude_with_programme(
    *, actor: User, investigation_id: int, expected_version: int
) -> ActionProgramme:
    """The investigation shows a need of special support: an action programme is drafted."""
    investigation = Investigation.objects.select_related("pupil", "unit").get(pk=investigation_id)
    require_actor(investigation, wf.Entity.INVESTIGATION, "conclude_with_programme", actor=actor)
    _require_complete(investigation)
    advance(
        investigation,
        wf.Entity.INVESTIGATION,
        "conclude_with_programme",
        actor=actor,
        expected_version=expected_version,
        concluded_on=today(),
    )
    _audit(
        "support.investigation.concluded",
        actor=actor,
        obj=investigation,
        data={"outcome": investigation.state},
    )
    from .programmes import programme_draft

    return programme_draft(actor=actor, investigation=investigation)


@transaction.atomic
def investigation_conclude_without_programme(
    *,
    actor: User,
    investigation_id: int,
    expected_version: int,
    reasons: str,
    decided_on: dt.date,
    token: str = "",
) -> Investigation:
    """A decision not to draw up an action programme: with reasons, appealable."""
    earlier = submission_claim(actor=actor, token=token, model=Investigation)
    if earlier is not None:
        return earlier
    investigation = Investigation.objects.select_related("pupil", "unit").get(pk=investigation_id)
    step = "conclude_without_programme"
    require_actor(investigation, wf.Entity.INVESTIGATION, step, actor=actor)
    _require_complete(investigation)
    decide(
        actor=actor,
        obj=investigation,
        step=step,
        expected_version=expected_version,
        basis=decider_basis(actor, investigation.unit, wf.DecisionKind.NO_PROGRAMME),
        reasons=reasons,
        decided_on=decided_on,
        content={"assessment": investigation.assessment},
        code="support.investigation.concluded",
        audit_data={"outcome": wf.InvestigationState.NO_PROGRAMME},
        concluded_on=today(),
    )
    submission_done(actor=actor, token=token, result=investigation)
    return investigation
