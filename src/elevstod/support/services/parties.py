"""The parties of a decision online: told when it is taken, and confirming receipt themselves
("Jag har tagit del av beslutet"), which starts their appeal period (44 § förvaltningslagen)."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from elevstod.accounts.models import User
from elevstod.audit.services import audit_record
from elevstod.core.errors import AccessDenied
from elevstod.core.timeutil import today
from elevstod.notifications.services import notification_send

from ..access import parties_of, party_reason
from ..fingerprint import decision_fingerprint
from ..models import Decision, PartyNotification
from .submissions import submission_claim, submission_done


def notify_parties(*, actor: User, decision: Decision) -> None:
    """Each party with a login gets a notice in the inbox and, by their preferences, an e-mail
    or SMS that names no pupil and links to the decision in the family view."""
    parties = parties_of(decision.pupil, on=decision.decided_on)
    notification_send(
        code="support.decision.for_party",
        actor=actor,
        recipients=User.objects.filter(person__in=parties, is_active=True),
        pupil=decision.pupil,
        url=reverse("family:decision", args=[decision.pk]),
    )


@transaction.atomic
def decision_acknowledge(*, actor: User, decision_id: int, token: str = "") -> PartyNotification:
    """The party confirms online that they received the decision: recorded today, digitally,
    with the version of the decision they were shown. The view asks for a fresh step-up first.
    Confirming twice (or after the school recorded a letter) keeps the first notification."""
    earlier = submission_claim(actor=actor, token=token, model=PartyNotification)
    if earlier is not None:
        return earlier
    decision = Decision.objects.select_related("pupil").filter(pk=decision_id).first()
    if decision is None or party_reason(actor, decision) is None or actor.person_id is None:
        raise AccessDenied()
    found = PartyNotification.objects.filter(decision=decision, party_id=actor.person_id).first()
    if found is not None:
        return found
    record = PartyNotification.objects.create(
        decision=decision,
        party_id=actor.person_id,
        notified_on=today(),
        method=PartyNotification.Method.DIGITAL,
        document_version=decision_fingerprint(decision),
        recorded_by=actor,
    )
    audit_record(
        code="support.decision.acknowledged",
        actor=actor,
        obj=record,
        pupil_id=decision.pupil_id,
        unit_id=decision.unit_id,
        data={
            "decision_id": decision.pk,
            "party_id": actor.person_id,
            "document_version": record.document_version,
        },
    )
    submission_done(actor=actor, token=token, result=record)
    return record
