"""The support app's log codes in words (read by ``elevstod.audit.labels``)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PURPOSES: dict[str, Promise] = {
    "support.adaptation.new": _("Opened the form for a new extra adaptation"),
    "support.adaptation.page": _("Read the pupil's extra adaptations"),
    "support.adaptation.edit": _("Opened an extra adaptation to change it"),
    "support.adaptation.follow_up": _("Opened an extra adaptation to follow it up"),
    "support.adaptation.evaluate": _("Opened an extra adaptation to evaluate it"),
    "support.adaptation.end": _("Opened an extra adaptation to end it"),
    "support.referral.new": _("Opened the form for a report to the principal"),
    "support.referral.page": _("Read a report to the principal"),
    "support.investigation.new": _("Opened the form for a new investigation"),
    "support.investigation.page": _("Read an investigation"),
    "support.programme.page": _("Read an action programme"),
    "support.decision.page": _("Read a decision"),
    "support.decision.party_page": _("Read a decision as its party"),
    "support.decision.party_list": _("Read the decisions of which the reader is a party"),
    "support.appeal.party_page": _("Read an own appeal as its party"),
    "support.unit_special_support.page": _("Read the unit's overview of special support"),
    "support.adaptation_overview.page": _("Read an overview of extra adaptations"),
    "support.appeal.attachment": _("Opened an attachment of an appeal"),
}

EVENTS: dict[str, Promise] = {
    "support.adaptation.created": _("Wrote an extra adaptation"),
    "support.adaptation.changed": _("Changed an extra adaptation"),
    "support.adaptation.followed_up": _("Followed up an extra adaptation"),
    "support.decision.for_party": _("Told a party of a decision that it was taken"),
    "support.adaptation.evaluated": _("Evaluated an extra adaptation"),
    "support.adaptation.ended": _("Ended an extra adaptation"),
    "support.library_entry.created": _("Added an adaptation to the library"),
    "support.library_entry.changed": _("Changed an adaptation in the library"),
    "support.referral.submitted": _("Reported the pupil to the principal"),
    "support.referral.handled": _("Handled a report to the principal"),
    "support.investigation.started": _("Started an investigation"),
    "support.investigation.assigned": _("Chose who investigates"),
    "support.investigation.contributors_invited": _("Invited people to an investigation"),
    "support.investigation.changed": _("Changed an investigation"),
    "support.investigation.concluded": _("Concluded an investigation"),
    "support.programme.drafted": _("Drafted an action programme"),
    "support.programme.started": _("Started an action programme"),
    "support.programme.changed": _("Changed an action programme"),
    "support.programme.responsible_changed": _(
        "Changed the responsible persons of an action programme"
    ),
    "support.programme.submitted": _("Submitted an action programme for decision"),
    "support.programme.returned": _("Returned an action programme to draft"),
    "support.programme.decided": _("Decided an action programme"),
    "support.programme.followed_up": _("Followed up an action programme"),
    "support.programme.evaluated": _("Evaluated an action programme"),
    "support.programme.replaced": _("Replaced an action programme by a new one"),
    "support.programme.closed": _("Closed an action programme"),
    "support.programme.pupil_left": _(
        "Asked the principal to close the programme of a pupil who left the unit"
    ),
    "support.programme.renewal_started": _("Started a new action programme as a copy"),
    "support.programme.discarded": _("Discarded an undecided new action programme"),
    "support.programme.kept_in_force": _(
        "Kept an action programme in force after its new copy was discarded"
    ),
    "support.programme.support_form_decided": _("Decided on a form of support"),
    "support.decision.recorded": _("Recorded a decision"),
    "support.decision.party_notified": _("Recorded that a party was notified of a decision"),
    "support.decision.acknowledged": _("Confirmed online having received a decision"),
    "support.appeal.registered": _("Registered an appeal"),
    "support.appeal.lodged": _("Lodged an appeal online"),
    "support.appeal.dismissed": _("Dismissed an appeal as late"),
    "support.appeal.reconsidered": _("Reconsidered a decision after an appeal"),
    "support.appeal.forwarded": _("Forwarded an appeal to the School Appeals Board"),
    "support.appeal.ruled": _("Recorded the School Appeals Board's ruling"),
    "support.delegation.granted": _("Delegated a decision"),
    "support.delegation.revoked": _("Revoked a delegation"),
    "support.settings.appeal_instructions_changed": _("Changed the appeal instructions"),
}
