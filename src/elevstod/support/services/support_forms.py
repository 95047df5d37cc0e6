"""Decisions on the forms of support that a school takes as decisions of their own, beside the
action programme: placement in a special teaching group or individual tuition (3 kap. 11 §
skollagen), an adjusted study plan (3 kap. 12 §), and a decision *not* to place a pupil in a
special teaching group, which is recorded with reasons but cannot be appealed (28 kap. 16 §).
Only the principal takes them; which ones exist and are appealable is ``workflow.DECISIONS``."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from elevstod.accounts.models import User

from .. import workflow as wf
from ..authority import decider_basis
from ..errors import FieldError
from ..models import ActionProgramme, Decision
from .decisions import decide
from .submissions import submission_claim, submission_done


def support_form_kind(value: str) -> wf.DecisionKind:
    """The decision kind, if it is one taken on a programme as a decision of its own."""
    if value not in wf.SUPPORT_FORM_DECISIONS:
        raise FieldError("kind", _("Choose which decision is taken."))
    return wf.DecisionKind(value)


@transaction.atomic
def programme_support_form_decide(
    *,
    actor: User,
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
    decision = decide(
        actor=actor,
        obj=programme,
        step=wf.SUPPORT_FORM_DECISIONS[decision_kind],
        basis=decider_basis(actor, programme.unit, decision_kind),
        reasons=reasons,
        decided_on=decided_on,
        content={"programme_id": programme.pk, "kind": decision_kind},
        code="support.programme.support_form_decided",
        audit_data={"kind": decision_kind},
    )
    submission_done(actor=actor, token=token, result=decision)
    return decision
