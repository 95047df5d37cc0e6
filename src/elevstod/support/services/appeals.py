"""Appeals (Förvaltningslagen 2017:900, 43-46 §§; Skollagen 28 kap. 16 §): lodged with the
school, checked for time, dismissed when late, reconsidered or forwarded to the School Appeals
Board, whose ruling is recorded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from elevstod.accounts.models import User
from elevstod.audit.services import audit_record
from elevstod.core.errors import AccessDenied, DomainError
from elevstod.core.timeutil import today
from elevstod.notifications.services import notification_send
from elevstod.organisation.models import Duty

from .. import workflow as wf
from ..access import parties_of, party_reason
from ..attachments import CheckedFile, check_attachments
from ..authority import Basis
from ..errors import FieldError
from ..models import Appeal, AppealAttachment, Decision, PartyNotification
from .decisions import decide
from .submissions import submission_claim, submission_done
from .transitions import advance, require_actor, require_new


def _audit(code: str, *, actor: User, appeal: Appeal, **data: Any) -> None:
    audit_record(
        code=code,
        actor=actor,
        obj=appeal,
        pupil_id=appeal.decision.pupil_id,
        unit_id=appeal.decision.unit_id,
        data=data,
    )


def appeal_deadline_for(decision: Decision, party_id: int) -> dt.date | None:
    notified = (
        PartyNotification.objects.filter(decision=decision, party_id=party_id)
        .values_list("notified_on", flat=True)
        .first()
    )
    return wf.appeal_last_day(notified) if notified else None


@transaction.atomic
def appeal_register(
    *, actor: User, decision_id: int, appellant_id: int, received_on: dt.date, token: str = ""
) -> Appeal:
    earlier = submission_claim(actor=actor, token=token, model=Appeal)
    if earlier is not None:
        return earlier
    decision = Decision.objects.select_related("unit", "pupil").get(pk=decision_id)
    require_new(Appeal(decision=decision), wf.Entity.APPEAL, "register", actor=actor)
    if not decision.appealable:
        raise DomainError(_("This decision cannot be appealed."))
    if appellant_id not in {p.pk for p in parties_of(decision.pupil, on=received_on)}:
        raise FieldError(
            "appellant", _("Only a party (a guardian, or the pupil from 16) can appeal.")
        )
    if received_on < decision.decided_on or received_on > today():
        raise FieldError("received_on", _("The date must be between the decision and today."))
    appeal = _appeal_create(
        decision=decision, appellant_id=appellant_id, received_on=received_on, registered_by=actor
    )
    _audit("support.appeal.registered", actor=actor, appeal=appeal, in_time=appeal.in_time)
    submission_done(actor=actor, token=token, result=appeal)
    return appeal


def _appeal_create(
    *, decision: Decision, appellant_id: int, received_on: dt.date, registered_by: User, **text: Any
) -> Appeal:
    """An appeal lodged with the school (on paper or online), received ``received_on``: in time
    or not by the appellant's own notification (``workflow.appeal_in_time``)."""
    notified = (
        PartyNotification.objects.filter(decision=decision, party_id=appellant_id)
        .values_list("notified_on", flat=True)
        .first()
    )
    return Appeal.objects.create(
        decision=decision,
        appellant_id=appellant_id,
        received_on=received_on,
        in_time=wf.appeal_in_time(notified_on=notified, received_on=received_on),
        state=wf.AppealState.RECEIVED,
        registered_by=registered_by,
        **text,
    )


@transaction.atomic
def appeal_lodge(
    *,
    actor: User,
    decision_id: int,
    change_requested: str,
    grounds: str,
    attachments: list[tuple[str, bytes]] | None = None,
    token: str = "",
) -> Appeal:
    """A party appeals online (family view): the appeal is received by the school today, as a
    paper appeal registered on that day would be, with the party's text and checked files; the
    principal of the decision's unit is notified. The rest of the flow is the paper one."""
    earlier = submission_claim(actor=actor, token=token, model=Appeal)
    if earlier is not None:
        return earlier
    decision, appellant_id = _lodgeable(actor, decision_id)
    change_requested, grounds = _appeal_text(change_requested, grounds)
    files = check_attachments(attachments or [])
    appeal = _appeal_create(
        decision=decision,
        appellant_id=appellant_id,
        received_on=today(),
        registered_by=actor,
        lodged_online=True,
        change_requested=change_requested,
        grounds=grounds,
    )
    _keep_files(appeal, files)
    _audit(
        "support.appeal.lodged",
        actor=actor,
        appeal=appeal,
        in_time=appeal.in_time,
        attachments=[f.sha256 for f in files],
    )
    _notify_principals(actor=actor, appeal=appeal)
    submission_done(actor=actor, token=token, result=appeal)
    return appeal


def _lodgeable(actor: User, decision_id: int) -> tuple[Decision, int]:
    """The decision a party appeals online and the party: refused (as not found) to anyone not
    its party."""
    decisions = Decision.objects.select_related("unit", "pupil").select_for_update(of=("self",))
    decision = decisions.filter(pk=decision_id).first()
    if decision is None or party_reason(actor, decision) is None or actor.person_id is None:
        raise AccessDenied()
    wf.check(wf.Entity.APPEAL, "register", None)
    if not decision.appealable:
        raise DomainError(_("This decision cannot be appealed."))
    earlier = appeal_already_lodged(decision.appeals.filter(appellant_id=actor.person_id))
    if earlier is not None:
        raise DomainError(another_appeal_refused(earlier))
    return decision, actor.person_id


# While an appeal is being handled (received by the school, or forwarded to the Board).
APPEAL_OPEN = frozenset({wf.AppealState.RECEIVED, wf.AppealState.FORWARDED})


def appeal_already_lodged(appeals: Iterable[Appeal]) -> Appeal | None:
    """The party's own appeal of a decision (``appeals``: theirs, on paper or online), which
    stands in the way of another online appeal from them of the same decision. While it is
    handled they add to it through the school. Once handled, a second appeal of the same
    decision would come to nothing: after a dismissal as late it would be late too (it is the
    dismissal that may be appealed, 45 § förvaltningslagen, a decision of its own); after a
    reconsideration the decision was changed as asked; the Board's ruling cannot be appealed."""
    return max(appeals, key=lambda a: (a.received_on, a.pk), default=None)


def another_appeal_refused(earlier: Appeal) -> str:
    """Why the party cannot appeal the same decision online again (``appeal_already_lodged``)."""
    day = earlier.received_on.isoformat()
    if earlier.state in APPEAL_OPEN:
        return _(
            "You have already appealed this decision (received %(day)s) and the appeal is "
            "being handled. To add to your appeal, contact the school."
        ) % {"day": day}
    return _(
        "You have already appealed this decision (received %(day)s) and the appeal has been "
        "handled. If you have questions about it, contact the school."
    ) % {"day": day}


def _appeal_text(change_requested: str, grounds: str) -> tuple[str, str]:
    change_requested, grounds = change_requested.strip(), grounds.strip()
    if not change_requested:
        raise FieldError("change_requested", _("Write what you want changed in the decision."))
    if not grounds:
        raise FieldError("grounds", _("Write why the decision should be changed."))
    return change_requested, grounds


def _keep_files(appeal: Appeal, files: list[CheckedFile]) -> None:
    AppealAttachment.objects.bulk_create(
        AppealAttachment(
            appeal=appeal,
            name=f.name,
            content_type=f.content_type,
            size=len(f.data),
            sha256=f.sha256,
            data=f.data,
        )
        for f in files
    )


def _notify_principals(*, actor: User, appeal: Appeal) -> None:
    principals = Duty.objects.active().filter(unit=appeal.decision.unit, role=Duty.Role.PRINCIPAL)
    notification_send(
        code="support.appeal.lodged",
        actor=actor,
        recipients=User.objects.filter(
            person_id__in=principals.values("person_id"), is_active=True
        ),
        pupil=appeal.decision.pupil,
        url=reverse("support:appeal_detail", args=[appeal.pk]),
    )


def _appeal(appeal_id: int) -> Appeal:
    return Appeal.objects.select_related("decision__unit", "decision__pupil").get(pk=appeal_id)


@transaction.atomic
def appeal_dismiss_late(
    *, actor: User, appeal_id: int, reasons: str, decided_on: dt.date
) -> Appeal:
    appeal = _appeal(appeal_id)
    require_actor(appeal, wf.Entity.APPEAL, "dismiss_late", actor=actor)
    if appeal.in_time:
        raise DomainError(_("The appeal came in time: it cannot be dismissed as late."))
    decide(
        actor=actor,
        obj=appeal,
        step="dismiss_late",
        basis=Basis(),
        reasons=reasons,
        decided_on=decided_on,
        content={
            "appealed_decision_id": appeal.decision_id,
            "received_on": appeal.received_on.isoformat(),
        },
        code="support.appeal.dismissed",
    )
    return appeal


@transaction.atomic
def appeal_reconsider(*, actor: User, appeal_id: int, text: str) -> Appeal:
    """The school changes its decision as the appellant asks (the change itself is a new
    decision, e.g. a new programme); the appeal then lapses."""
    appeal = _appeal(appeal_id)
    require_actor(appeal, wf.Entity.APPEAL, "reconsider", actor=actor)
    if not text.strip():
        raise FieldError("text", _("Write how the decision was changed."))
    advance(appeal, wf.Entity.APPEAL, "reconsider", actor=actor, reconsideration=text.strip())
    _audit("support.appeal.reconsidered", actor=actor, appeal=appeal)
    return appeal


@transaction.atomic
def appeal_forward(*, actor: User, appeal_id: int, forwarded_on: dt.date) -> Appeal:
    appeal = _appeal(appeal_id)
    require_actor(appeal, wf.Entity.APPEAL, "forward", actor=actor)
    if not appeal.in_time:
        raise DomainError(_("A late appeal is dismissed, not forwarded."))
    if forwarded_on < appeal.received_on or forwarded_on > today():
        raise FieldError("forwarded_on", _("The date must be between receipt and today."))
    advance(appeal, wf.Entity.APPEAL, "forward", actor=actor, forwarded_on=forwarded_on)
    _audit("support.appeal.forwarded", actor=actor, appeal=appeal)
    return appeal


@transaction.atomic
def appeal_record_ruling(
    *, actor: User, appeal_id: int, ruling: str, ruling_on: dt.date, text: str
) -> Appeal:
    appeal = _appeal(appeal_id)
    require_actor(appeal, wf.Entity.APPEAL, "record_ruling", actor=actor)
    if ruling not in Appeal.Ruling.values:
        raise FieldError("ruling", _("Choose the Board's ruling."))
    if appeal.forwarded_on and (ruling_on < appeal.forwarded_on or ruling_on > today()):
        raise FieldError("ruling_on", _("The date must be between forwarding and today."))
    advance(
        appeal,
        wf.Entity.APPEAL,
        "record_ruling",
        actor=actor,
        ruling=ruling,
        ruling_on=ruling_on,
        ruling_text=text.strip(),
    )
    _audit("support.appeal.ruled", actor=actor, appeal=appeal, ruling=ruling)
    return appeal
