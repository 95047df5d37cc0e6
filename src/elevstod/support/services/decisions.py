"""Recording decisions and notifying the parties. A decision is written once, with its reasons,
who decided under which delegation, the law and (when appealable) the appeal instructions; it
is never changed afterwards (the database refuses it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from elevstod.accounts.models import User
from elevstod.audit.services import audit_record
from elevstod.core.errors import DomainError
from elevstod.core.timeutil import today
from elevstod.notifications.services import notification_send
from elevstod.organisation.models import Person, SchoolUnit

from .. import workflow as wf
from ..access import acting_person, parties_of, require_support_staff
from ..authority import Basis, require_principal
from ..errors import FieldError
from ..models import ActionProgramme, Appeal, Decision, Investigation, PartyNotification
from ..texts import appeal_instructions_for
from .parties import notify_parties
from .submissions import submission_claim, submission_done
from .transitions import advance


def check_reasons(reasons: str) -> str:
    if not reasons.strip():
        raise FieldError("reasons", _("Write the reasons for the decision."))
    return reasons.strip()


def check_decision_date(decided_on: dt.date) -> dt.date:
    if decided_on > today():
        raise FieldError("decided_on", _("A decision cannot be dated in the future."))
    if decided_on < today() - dt.timedelta(days=31):
        raise FieldError("decided_on", _("Record the decision on the day it is taken."))
    return decided_on


# What a decision is taken on: a programme, an investigation, or an appeal (its dismissal).
DecidedOn = ActionProgramme | Investigation | Appeal

_ENTITIES: dict[type[DecidedOn], wf.Entity] = {
    ActionProgramme: wf.Entity.PROGRAMME,
    Investigation: wf.Entity.INVESTIGATION,
    Appeal: wf.Entity.APPEAL,
}


def decide(
    *,
    actor: User,
    obj: DecidedOn,
    step: str,
    basis: Basis,
    reasons: str,
    decided_on: dt.date,
    content: dict[str, Any],
    code: str,
    expected_version: int | None = None,
    audit_data: dict[str, Any] | None = None,
    **changes: Any,
) -> Decision:
    """The one way a step that decides is taken: claim the transition ``step`` (the table names
    the decision kind it records), write the decision, audit the step under ``code``, on a
    programme notify its people, and tell the decision's parties (``parties.notify_parties``).
    Runs in the caller's transaction, after the caller checked
    who decides (``basis``) and what must be complete."""
    entity = _ENTITIES[type(obj)]
    t = advance(obj, entity, step, actor=actor, expected_version=expected_version, **changes)
    assert t.decision is not None, f"{t.code} records no decision"
    decision = decision_record(
        actor=actor,
        kind=t.decision,
        basis=basis,
        on=obj,
        reasons=reasons,
        decided_on=decided_on,
        content=content,
    )
    _announce(code=code, actor=actor, obj=obj, decision=decision, data=audit_data or {})
    return decision


def _announce(
    *, code: str, actor: User, obj: DecidedOn, decision: Decision, data: dict[str, Any]
) -> None:
    """The step's audit event, naming the decision; on a programme, its people are told; the
    decision's parties are told."""
    audit_record(
        code=code,
        actor=actor,
        obj=obj,
        pupil_id=decision.pupil_id,
        unit_id=decision.unit_id,
        data={**data, "decision_id": decision.pk},
    )
    if isinstance(obj, ActionProgramme):
        notify_programme_people(code=code, actor=actor, programme=obj)
    notify_parties(actor=actor, decision=decision)


def decision_record(
    *,
    actor: User,
    kind: wf.DecisionKind,
    basis: Basis,
    on: DecidedOn,
    reasons: str,
    decided_on: dt.date,
    content: dict[str, Any],
) -> Decision:
    """Write one decision on ``on``, once, with what ``workflow.DECISIONS`` says of its kind."""
    rule = wf.DECISIONS[kind]
    pupil, unit = _case_of(on)
    decision = Decision.objects.create(
        kind=kind,
        pupil=pupil,
        unit=unit,
        programme=on if isinstance(on, ActionProgramme) else None,
        investigation=on if isinstance(on, Investigation) else None,
        appeal=on if isinstance(on, Appeal) else None,
        decided_on=check_decision_date(decided_on),
        decided_by=acting_person(actor),
        decided_by_user=actor,
        delegation=basis.delegation,
        reasons=check_reasons(reasons),
        appealable=rule.appealable,
        law=rule.law,
        appeal_instructions=appeal_instructions_for(unit) if rule.appealable else "",
        content=content,
    )
    _audit_recorded(actor=actor, decision=decision, basis=basis)
    return decision


def _case_of(obj: DecidedOn) -> tuple[Person, SchoolUnit]:
    """The pupil and the unit of the decision: an appeal's are those of the decision appealed."""
    if isinstance(obj, Appeal):
        return obj.decision.pupil, obj.decision.unit
    return obj.pupil, obj.unit


def _audit_recorded(*, actor: User, decision: Decision, basis: Basis) -> None:
    audit_record(
        code="support.decision.recorded",
        actor=actor,
        obj=decision,
        pupil_id=decision.pupil_id,
        unit_id=decision.unit_id,
        data={
            "kind": decision.kind,
            "delegation_id": basis.delegation.pk if basis.delegation else None,
            "appealable": decision.appealable,
        },
    )


@transaction.atomic
def decision_notify_party(
    *,
    actor: User,
    decision: Decision,
    party: Person,
    notified_on: dt.date,
    method: str,
    token: str = "",
) -> PartyNotification:
    """Record that a party was notified (underrättad); the appeal period runs from that day."""
    earlier = submission_claim(actor=actor, token=token, model=PartyNotification)
    if earlier is not None:
        return earlier
    require_support_staff(actor, decision.pupil)
    if party.pk not in {p.pk for p in parties_of(decision.pupil, on=decision.decided_on)}:
        raise FieldError("party", _("Only the guardians, and the pupil from 16, are parties."))
    if notified_on < decision.decided_on or notified_on > today():
        raise FieldError("notified_on", _("The date must be between the decision and today."))
    if method not in PartyNotification.Method.values:
        raise FieldError("method", _("Choose how the party was notified."))
    if PartyNotification.objects.filter(decision=decision, party=party).exists():
        raise DomainError(_("It is already recorded when this party was notified."))
    record = PartyNotification.objects.create(
        decision=decision,
        party=party,
        notified_on=notified_on,
        method=method,
        recorded_by=actor,
    )
    audit_record(
        code="support.decision.party_notified",
        actor=actor,
        obj=record,
        pupil_id=decision.pupil_id,
        unit_id=decision.unit_id,
        data={"decision_id": decision.pk, "party_id": party.pk, "method": method},
    )
    submission_done(actor=actor, token=token, result=record)
    return record


def notify_programme_people(*, code: str, actor: User, programme: ActionProgramme) -> None:
    """DOMAIN.md §3: starting a programme, a decision in it or a change of responsible person
    notifies all responsible persons and the principal."""
    from elevstod.organisation.models import Duty

    people = {programme.follow_up_responsible_id, programme.evaluation_responsible_id}
    people |= set(programme.measures.values_list("responsible_id", flat=True))
    principals = Duty.objects.active().filter(unit=programme.unit, role=Duty.Role.PRINCIPAL)
    people |= set(principals.values_list("person_id", flat=True))
    recipients = User.objects.filter(person_id__in=[p for p in people if p], is_active=True)
    notification_send(
        code=code,
        actor=actor,
        recipients=recipients,
        pupil=programme.pupil,
        url=reverse("support:programme_detail", args=[programme.pk]),
    )


__all__ = ["decide", "decision_notify_party", "decision_record", "require_principal"]
