"""Action programmes (Skollagen 3 kap. 9 §): drafted and edited freely until decided, decided by
the principal or a delegate and then locked, followed up any number of times, evaluated exactly
once, then renewed (an editable copy decided anew) or closed (an appealable decision)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from elevstod.accounts.models import User
from elevstod.audit.services import audit_record
from elevstod.core.errors import DomainError
from elevstod.core.timeutil import today

from .. import workflow as wf
from ..access import support_unit_for
from ..authority import decider_basis
from ..errors import FieldError, StaleVersion
from ..models import ActionProgramme, Investigation, Measure, ProgrammeEvaluation, ProgrammeFollowUp
from .decisions import decide, notify_programme_people
from .programme_content import (
    CONTENT_FIELDS,
    NOT_COPIED_ON_RENEWAL,
    check_input,
    replace_measures,
    require_complete,
    responsibles,
    snapshot,
)

# The input of programme_update, which its callers build from here.
from .programme_content import MeasureInput as MeasureInput
from .programme_content import ProgrammeInput as ProgrammeInput
from .submissions import submission_claim, submission_done
from .transitions import StepRefused, advance, require_actor, require_new


def _audit(code: str, *, actor: User, programme: ActionProgramme, **data: Any) -> None:
    audit_record(
        code=code,
        actor=actor,
        obj=programme,
        pupil_id=programme.pupil_id,
        unit_id=programme.unit_id,
        data=data,
    )


def programme_draft(
    *, actor: User, investigation: Investigation, previous: ActionProgramme | None = None
) -> ActionProgramme:
    """A new draft on ``investigation``; as a copy of ``previous`` when renewing."""
    unit = support_unit_for(investigation.pupil)
    new = ActionProgramme(pupil=investigation.pupil, unit=unit, investigation=investigation)
    require_new(new, wf.Entity.PROGRAMME, "draft", actor=actor)
    content = {f: getattr(previous, f) for f in CONTENT_FIELDS} if previous else {}
    for name in NOT_COPIED_ON_RENEWAL:
        content.pop(name, None)
    programme = ActionProgramme.objects.create(
        pupil=investigation.pupil,
        unit=unit,
        investigation=investigation,
        previous=previous,
        state=wf.ProgrammeState.DRAFT,
        **content,
    )
    if previous is not None:
        Measure.objects.bulk_create(
            Measure(
                programme=programme,
                position=m.position,
                what=m.what,
                how=m.how,
                how_much=m.how_much,
                responsible_id=m.responsible_id,
                support_form=m.support_form,
            )
            for m in previous.measures.all()
        )
    _audit(
        "support.programme.drafted",
        actor=actor,
        programme=programme,
        previous_id=previous.pk if previous else None,
    )
    notify_programme_people(code="support.programme.started", actor=actor, programme=programme)
    return programme


@transaction.atomic
def programme_update(
    *, actor: User, programme_id: int, expected_version: int, data: ProgrammeInput, token: str = ""
) -> ActionProgramme:
    """Edit a draft or submitted programme. A decided programme is locked."""
    earlier = submission_claim(actor=actor, token=token, model=ActionProgramme)
    if earlier is not None:
        return earlier
    programme = ActionProgramme.objects.select_related("pupil", "unit").get(pk=programme_id)
    require_actor(programme, wf.Entity.PROGRAMME, "edit", actor=actor)
    check_input(programme, data)
    before = responsibles(programme)
    changes = {f: getattr(data, f) for f in CONTENT_FIELDS}
    try:
        advance(
            programme,
            wf.Entity.PROGRAMME,
            "edit",
            actor=actor,
            expected_version=expected_version,
            **changes,
        )
    except StepRefused:
        if programme.state in (wf.ProgrammeState.DRAFT, wf.ProgrammeState.SUBMITTED):
            raise StaleVersion() from None
        raise DomainError(
            _(
                "The programme is decided and locked. A change needs a new "
                "programme and a new decision."
            )
        ) from None
    replace_measures(programme, data.measures)
    _audit("support.programme.changed", actor=actor, programme=programme, version=programme.version)
    if responsibles(programme) != before:
        notify_programme_people(
            code="support.programme.responsible_changed", actor=actor, programme=programme
        )
    submission_done(actor=actor, token=token, result=programme)
    return programme


@transaction.atomic
def programme_submit(*, actor: User, programme_id: int, expected_version: int) -> ActionProgramme:
    programme = ActionProgramme.objects.select_related("pupil").get(pk=programme_id)
    advance(
        programme, wf.Entity.PROGRAMME, "submit", actor=actor, expected_version=expected_version
    )
    _audit("support.programme.submitted", actor=actor, programme=programme)
    notify_programme_people(code="support.programme.submitted", actor=actor, programme=programme)
    return programme


@transaction.atomic
def programme_return_to_draft(
    *, actor: User, programme_id: int, expected_version: int
) -> ActionProgramme:
    programme = ActionProgramme.objects.select_related("pupil", "unit").get(pk=programme_id)
    advance(
        programme,
        wf.Entity.PROGRAMME,
        "return_to_draft",
        actor=actor,
        expected_version=expected_version,
    )
    _audit("support.programme.returned", actor=actor, programme=programme)
    return programme


@transaction.atomic
def programme_decide(
    *,
    actor: User,
    programme_id: int,
    expected_version: int,
    reasons: str,
    decided_on: dt.date,
    token: str = "",
) -> ActionProgramme:
    earlier = submission_claim(actor=actor, token=token, model=ActionProgramme)
    if earlier is not None:
        return earlier
    programme = ActionProgramme.objects.select_related("pupil", "unit").get(pk=programme_id)
    require_actor(programme, wf.Entity.PROGRAMME, "decide", actor=actor)
    require_complete(programme)
    decision = decide(
        actor=actor,
        obj=programme,
        step="decide",
        expected_version=expected_version,
        basis=decider_basis(actor, programme.unit, wf.DecisionKind.PROGRAMME),
        reasons=reasons,
        decided_on=decided_on,
        content=snapshot(programme),
        code="support.programme.decided",
    )
    if programme.is_renewal_copy:
        _replace_previous(actor=actor, programme=programme, decision_id=decision.pk)
    submission_done(actor=actor, token=token, result=programme)
    return programme


def _replace_previous(*, actor: User, programme: ActionProgramme, decision_id: int) -> None:
    """The programme a renewal copies stays in force until the copy is decided: it is
    replaced here, in the transaction of the copy's decision, and nowhere else."""
    previous = ActionProgramme.objects.get(pk=programme.previous_id or 0)
    advance(previous, wf.Entity.PROGRAMME, "replace", actor=actor)
    _audit(
        "support.programme.replaced",
        actor=actor,
        programme=previous,
        by_programme_id=programme.pk,
        decision_id=decision_id,
    )


@transaction.atomic
def programme_follow_up(
    *, actor: User, programme_id: int, date: dt.date, text: str, token: str = ""
) -> ProgrammeFollowUp:
    earlier = submission_claim(actor=actor, token=token, model=ProgrammeFollowUp)
    if earlier is not None:
        return earlier
    programme = ActionProgramme.objects.select_related("pupil", "unit").get(pk=programme_id)
    require_actor(programme, wf.Entity.PROGRAMME, "follow_up", actor=actor)
    if not text.strip():
        raise FieldError("text", _("Write the follow-up."))
    if date > today():
        raise FieldError("date", _("The date cannot be in the future."))
    advance(programme, wf.Entity.PROGRAMME, "follow_up", actor=actor)
    follow_up = ProgrammeFollowUp.objects.create(
        programme=programme, date=date, text=text.strip(), created_by=actor
    )
    _audit(
        "support.programme.followed_up", actor=actor, programme=programme, follow_up_id=follow_up.pk
    )
    submission_done(actor=actor, token=token, result=follow_up)
    return follow_up


@transaction.atomic
def programme_evaluate(
    *, actor: User, programme_id: int, date: dt.date, text: str, need_remains: bool, token: str = ""
) -> ProgrammeEvaluation:
    """The one evaluation of the programme."""
    earlier = submission_claim(actor=actor, token=token, model=ProgrammeEvaluation)
    if earlier is not None:
        return earlier
    programme = ActionProgramme.objects.select_related("pupil", "unit").get(pk=programme_id)
    require_actor(programme, wf.Entity.PROGRAMME, "evaluate", actor=actor)
    if not text.strip():
        raise FieldError("text", _("Write the evaluation."))
    if date > today():
        raise FieldError("date", _("The date cannot be in the future."))
    try:
        advance(programme, wf.Entity.PROGRAMME, "evaluate", actor=actor)
    except StepRefused:
        if ProgrammeEvaluation.objects.filter(programme=programme).exists():
            raise DomainError(
                _(
                    "The programme is already evaluated: there is exactly one "
                    "evaluation per programme."
                )
            ) from None
        raise
    evaluation = ProgrammeEvaluation.objects.create(
        programme=programme,
        date=date,
        text=text.strip(),
        need_remains=need_remains,
        created_by=actor,
    )
    _audit(
        "support.programme.evaluated", actor=actor, programme=programme, need_remains=need_remains
    )
    notify_programme_people(code="support.programme.evaluated", actor=actor, programme=programme)
    submission_done(actor=actor, token=token, result=evaluation)
    return evaluation


@transaction.atomic
def programme_renew(*, actor: User, programme_id: int) -> ActionProgramme:
    """A new programme after the evaluation: an editable copy on the same investigation; it
    needs its own decision even if nothing is changed (each decision is appealable). The
    evaluated programme stays in force until the copy is decided (or discarded)."""
    programme = ActionProgramme.objects.select_related("pupil", "unit", "investigation").get(
        pk=programme_id
    )
    advance(programme, wf.Entity.PROGRAMME, "renew", actor=actor)
    _audit("support.programme.renewal_started", actor=actor, programme=programme)
    return programme_draft(actor=actor, investigation=programme.investigation, previous=programme)


@transaction.atomic
def programme_discard(*, actor: User, programme_id: int, expected_version: int) -> ActionProgramme:
    """Discard an undecided renewal copy; the programme it copies goes on in force. A first
    programme of an investigation is not discarded: the investigation concluded that one is
    needed (close it after its decision instead)."""
    copy = ActionProgramme.objects.select_related("pupil", "unit").get(pk=programme_id)
    require_actor(copy, wf.Entity.PROGRAMME, "discard", actor=actor)
    if not copy.is_renewal_copy:
        raise DomainError(
            _("Only the draft of a new programme can be discarded."), code="not_a_renewal"
        )
    advance(copy, wf.Entity.PROGRAMME, "discard", actor=actor, expected_version=expected_version)
    previous = ActionProgramme.objects.get(pk=copy.previous_id or 0)
    advance(previous, wf.Entity.PROGRAMME, "keep_in_force", actor=actor)
    _audit("support.programme.discarded", actor=actor, programme=copy)
    _audit("support.programme.kept_in_force", actor=actor, programme=previous, copy_id=copy.pk)
    return previous


@transaction.atomic
def programme_close(
    *, actor: User, programme_id: int, reasons: str, decided_on: dt.date, token: str = ""
) -> ActionProgramme:
    """Close the programme: when the need is gone, the pupil leaves the unit, or a fresh
    investigation is due. An appealable decision."""
    earlier = submission_claim(actor=actor, token=token, model=ActionProgramme)
    if earlier is not None:
        return earlier
    programme = ActionProgramme.objects.select_related("pupil", "unit").get(pk=programme_id)
    decide(
        actor=actor,
        obj=programme,
        step="close",
        basis=decider_basis(actor, programme.unit, wf.DecisionKind.CLOSE_PROGRAMME),
        reasons=reasons,
        decided_on=decided_on,
        content={"closed_programme": snapshot(programme)},
        code="support.programme.closed",
    )
    submission_done(actor=actor, token=token, result=programme)
    return programme
