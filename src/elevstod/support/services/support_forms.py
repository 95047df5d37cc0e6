"""Decisions on the forms of support that a school takes as decisions of their own, beside the
action programme: placement in a special teaching group or individual tuition (3 kap. 11 §
skollagen), an adjusted study plan (3 kap. 12 §), and a decision *not* to place a pupil in a
special teaching group, which is recorded with reasons but cannot be appealed (28 kap. 16 §).
Only the principal takes them; which ones exist and are appealable is ``workflow.DECISIONS``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from elevstod.audit.services import audit_record

from .. import workflow as wf
from ..authority import decider_basis
from ..models import ActionProgramme, Decision
from .adaptations import FieldError
from .decisions import decision_record, notify_programme_people
from .submissions import submission_claim, submission_done
from .transitions import advance


def support_form_kind(value: str) -> wf.DecisionKind:
    """The decision kind, if it is one taken on a programme as a decision of its own."""
    if value not in wf.SUPPORT_FORM_DECISIONS:
        raise FieldError("kind", _("Choose which decision is taken."))
    return wf.DecisionKind(value)


@transaction.atomic
def programme_support_form_decide(
    *,
    actor: Any,
    programme_id: int,
    kind: str,
    reasons: str,
    decided_on: dt.date,
    token: str = "",
) -> Decision:
    """Record a decision on a form of support for the pupil of a programme in force."""
    earlier = submission_claim(actor=actor, token=token, model=Decision)
    if earlier is not None:
        return earlier
    decision_kind = support_form_kind(kind)
    programme = ActionProgramme.objects.select_related("pupil", "unit").get(pk=programme_id)
    basis = decider_basis(actor, programme.unit, decision_kind)
    t = advance(
        programme, wf.Entity.PROGRAMME, wf.SUPPORT_FORM_DECISIONS[decision_kind], actor=actor
    )
    assert t.decision == decision_kind
    decision = decision_record(
        actor=actor,
        kind=decision_kind,
        basis=basis,
        pupil=programme.pupil,
        unit=programme.unit,
        reasons=reasons,
        decided_on=decided_on,
        programme=programme,
        content={"programme_id": programme.pk, "kind": decision_kind},
    )
    audit_record(
        code="support.programme.support_form_decided",
        actor=actor,
        obj=programme,
        pupil_id=programme.pupil_id,
        unit_id=programme.unit_id,
        data={"decision_id": decision.pk, "kind": decision_kind},
    )
    notify_programme_people(
        code="support.programme.support_form_decided", actor=actor, programme=programme
    )
    submission_done(actor=actor, token=token, result=decision)
    return decision
