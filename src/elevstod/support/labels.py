"""Names of workflow states, decisions and support forms as users read them (translated).

Keyed by enum: two enums may share a value (``InvestigationState.NO_PROGRAMME`` and
``DecisionKind.NO_PROGRAMME``), so a label is always asked for with the kind of value it is."""

from __future__ import annotations

from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import workflow as wf

LABELS: dict[type[StrEnum], dict[str, Promise]] = {
    wf.ProgrammeState: {
        wf.ProgrammeState.DRAFT: _("draft"),
        wf.ProgrammeState.SUBMITTED: _("submitted for decision"),
        wf.ProgrammeState.DECIDED: _("decided, running"),
        wf.ProgrammeState.EVALUATED: _("evaluated"),
        wf.ProgrammeState.BEING_RENEWED: _("in force until the new action programme is decided"),
        wf.ProgrammeState.REPLACED: _("replaced by a new programme"),
        wf.ProgrammeState.CLOSED: _("closed"),
        wf.ProgrammeState.DISCARDED: _("discarded draft of a new programme"),
    },
    wf.InvestigationState: {
        wf.InvestigationState.IN_PROGRESS: _("in progress"),
        wf.InvestigationState.PROGRAMME_TO_BE_DRAWN_UP: _("concluded: action programme"),
        wf.InvestigationState.NO_PROGRAMME: _("concluded: no action programme"),
    },
    wf.ReferralState: {
        wf.ReferralState.OPEN: _("waiting for the principal"),
        wf.ReferralState.HANDLED: _("handled"),
    },
    wf.AppealState: {
        wf.AppealState.RECEIVED: _("received"),
        wf.AppealState.DISMISSED_LATE: _("dismissed as late"),
        wf.AppealState.RECONSIDERED: _("reconsidered by the school"),
        wf.AppealState.FORWARDED: _("forwarded to the School Appeals Board"),
        wf.AppealState.RULED: _("ruled by the School Appeals Board"),
    },
    wf.DecisionKind: {
        wf.DecisionKind.PROGRAMME: _("Decision on an action programme"),
        wf.DecisionKind.NO_PROGRAMME: _("Decision not to draw up an action programme"),
        wf.DecisionKind.CLOSE_PROGRAMME: _("Decision to close an action programme"),
        wf.DecisionKind.APPEAL_DISMISSED: _("Decision to dismiss an appeal as late"),
        wf.DecisionKind.SPECIAL_GROUP: _("Decision on placement in a special teaching group"),
        wf.DecisionKind.INDIVIDUAL_TUITION: _("Decision on individual tuition"),
        wf.DecisionKind.ADJUSTED_STUDY_PLAN: _("Decision on an adjusted study plan"),
        wf.DecisionKind.NO_SPECIAL_GROUP: _(
            "Decision not to place the pupil in a special teaching group"
        ),
    },
    wf.SupportForm: {
        wf.SupportForm.ORDINARY: _("within the pupil's ordinary group"),
        wf.SupportForm.SPECIAL_GROUP: _("special teaching group (3 kap. 11 §)"),
        wf.SupportForm.INDIVIDUAL: _("individual tuition (3 kap. 11 §)"),
        wf.SupportForm.DISTANCE: _("distance tuition (3 kap. 11 a §)"),
        wf.SupportForm.ADJUSTED_STUDY_PLAN: _("adjusted study plan (3 kap. 12 §)"),
    },
}

# A decision named inside a sentence ("I have received the decision on an action programme"):
# the definite form, in lower case.
DECISION_IN_A_SENTENCE: dict[str, Promise] = {
    wf.DecisionKind.PROGRAMME: _("the decision on an action programme"),
    wf.DecisionKind.NO_PROGRAMME: _("the decision not to draw up an action programme"),
    wf.DecisionKind.CLOSE_PROGRAMME: _("the decision to close the action programme"),
    wf.DecisionKind.APPEAL_DISMISSED: _("the decision to dismiss an appeal as late"),
    wf.DecisionKind.SPECIAL_GROUP: _("the decision on placement in a special teaching group"),
    wf.DecisionKind.INDIVIDUAL_TUITION: _("the decision on individual tuition"),
    wf.DecisionKind.ADJUSTED_STUDY_PLAN: _("the decision on an adjusted study plan"),
    wf.DecisionKind.NO_SPECIAL_GROUP: _(
        "the decision not to place the pupil in a special teaching group"
    ),
}

# The names templates use to say which kind of value they label (``{{ x|label:"decision" }}``).
KINDS: dict[str, type[StrEnum]] = {
    wf.Entity.REFERRAL: wf.ReferralState,
    wf.Entity.INVESTIGATION: wf.InvestigationState,
    wf.Entity.PROGRAMME: wf.ProgrammeState,
    wf.Entity.APPEAL: wf.AppealState,
    "decision": wf.DecisionKind,
    "support_form": wf.SupportForm,
}


def label(kind: str | type[StrEnum], value: str) -> str:
    """The label of ``value`` as a member of ``kind`` (an enum, or its name in ``KINDS``)."""
    enum = KINDS[kind] if isinstance(kind, str) else kind
    text = LABELS[enum].get(value)
    return str(text) if text is not None else value


def decision_in_a_sentence(kind: str) -> str:
    """The decision of ``kind`` as a sentence names it (``DECISION_IN_A_SENTENCE``)."""
    text = DECISION_IN_A_SENTENCE.get(kind)
    return str(text) if text is not None else kind
