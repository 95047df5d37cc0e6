"""Names of workflow states and decisions as users read them (translated)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import workflow as wf

LABELS: dict[str, Promise] = {
    wf.ProgrammeState.DRAFT: _("draft"),
    wf.ProgrammeState.SUBMITTED: _("submitted for decision"),
    wf.ProgrammeState.DECIDED: _("decided, running"),
    wf.ProgrammeState.EVALUATED: _("evaluated"),
    wf.ProgrammeState.REPLACED: _("replaced by a new programme"),
    wf.ProgrammeState.CLOSED: _("closed"),
    wf.InvestigationState.IN_PROGRESS: _("in progress"),
    wf.InvestigationState.PROGRAMME_TO_BE_DRAWN_UP: _("concluded: action programme"),
    wf.InvestigationState.NO_PROGRAMME: _("concluded: no action programme"),
    wf.ReferralState.OPEN: _("waiting for the principal"),
    wf.ReferralState.HANDLED: _("handled"),
    wf.AppealState.RECEIVED: _("received"),
    wf.AppealState.DISMISSED_LATE: _("dismissed as late"),
    wf.AppealState.RECONSIDERED: _("reconsidered by the school"),
    wf.AppealState.FORWARDED: _("forwarded to the School Appeals Board"),
    wf.AppealState.RULED: _("ruled by the School Appeals Board"),
    wf.DecisionKind.PROGRAMME: _("Decision on an action programme"),
    wf.DecisionKind.NO_PROGRAMME: _("Decision not to draw up an action programme"),
    wf.DecisionKind.CLOSE_PROGRAMME: _("Decision to close an action programme"),
    wf.DecisionKind.APPEAL_DISMISSED: _("Decision to dismiss an appeal as late"),
    wf.SupportForm.ORDINARY: _("within the pupil's ordinary group"),
    wf.SupportForm.SPECIAL_GROUP: _("special teaching group (3 kap. 11 §)"),
    wf.SupportForm.INDIVIDUAL: _("individual tuition (3 kap. 11 §)"),
    wf.SupportForm.DISTANCE: _("distance tuition (3 kap. 11 a §)"),
    wf.SupportForm.ADJUSTED_STUDY_PLAN: _("adjusted study plan (3 kap. 12 §)"),
}


def label(value: str) -> str:
    text = LABELS.get(value)
    return str(text) if text is not None else value
