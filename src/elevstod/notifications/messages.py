"""The text of each kind of notification, rendered in the reader's language when shown.

Texts say only that something happened and where to read it: no content of the support itself.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MESSAGES: dict[str, Promise] = {
    "support.adaptation.created": _("%(actor)s wrote a new extra adaptation for %(pupil)s."),
    "support.adaptation.changed": _("%(actor)s changed an extra adaptation for %(pupil)s."),
    "support.adaptation.followed_up": _("%(actor)s followed up an extra adaptation for %(pupil)s."),
    "support.adaptation.evaluated": _("%(actor)s evaluated an extra adaptation for %(pupil)s."),
    "support.adaptation.ended": _("%(actor)s ended an extra adaptation for %(pupil)s."),
    "support.referral.submitted": _("%(actor)s reported %(pupil)s to the principal."),
    "support.investigation.assigned": _(
        "%(actor)s asked you to take part in the investigation of %(pupil)s."
    ),
    "support.programme.started": _("An action programme was started for %(pupil)s."),
    "support.programme.submitted": _(
        "%(actor)s submitted an action programme for %(pupil)s for decision."
    ),
    "support.programme.decided": _("%(actor)s decided the action programme for %(pupil)s."),
    "support.programme.responsible_changed": _(
        "The responsible persons of the action programme for %(pupil)s changed."
    ),
    "support.programme.evaluated": _("%(actor)s evaluated the action programme for %(pupil)s."),
    "support.programme.closed": _("%(actor)s closed the action programme for %(pupil)s."),
    "support.programme.pupil_left": _(
        "%(pupil)s has left the school unit: close the running action programme."
    ),
    "support.programme.support_form_decided": _(
        "%(actor)s took a decision on a form of support in the action programme for %(pupil)s."
    ),
    "support.decision.for_party": _(
        "The school took a decision concerning %(pupil)s. Read it and confirm that you have "
        "received it."
    ),
    "support.appeal.lodged": _("%(actor)s appealed a decision concerning %(pupil)s online."),
    "reminder.investigation.decision": _(
        "Reminder: the investigation for %(pupil)s is planned to be decided on %(date)s."
    ),
    "reminder.programme.decision": _(
        "Reminder: the action programme for %(pupil)s is planned to be decided on %(date)s."
    ),
    "reminder.programme.evaluation": _(
        "Reminder: the action programme for %(pupil)s is to be evaluated on %(date)s."
    ),
    "reminder.adaptation.follow_up": _(
        "Reminder: an extra adaptation for %(pupil)s is to be followed up on %(date)s."
    ),
}

# What a user may switch off for e-mail/SMS (the inbox always gets everything), by code prefix.
CATEGORIES: dict[str, Promise] = {
    "support.adaptation.": _("Extra adaptations"),
    "support.referral.": _("Reports to the principal"),
    "support.programme.": _("Action programmes"),
    "support.decision.": _("Decisions"),
    "support.appeal.": _("Appeals"),
    "reminder.": _("Reminders of dates"),
}


def category_of(code: str) -> str:
    return next((prefix for prefix in CATEGORIES if code.startswith(prefix)), "")


# E-mail and SMS say only that something happened and where to read it behind login: never the
# pupil's name or anything of the support itself.
EMAIL_SUBJECT = _("New notification in Elevstöd")
EMAIL_BODY = _(
    "You have a new notification in Elevstöd.\n\nLog in to read it:\n%(url)s\n\n"
    "You can choose which notifications you get by e-mail in your notification settings."
)
SMS_BODY = _("Elevstöd: you have a new notification. Log in to read it: %(url)s")
DIGEST_SUBJECT = _("Your notifications in Elevstöd today")
DIGEST_BODY = _(
    "You have %(count)s new notifications in Elevstöd.\n\nLog in to read them:\n%(url)s"
)
DIGEST_SMS_BODY = _("Elevstöd: you have %(count)s new notifications. Log in: %(url)s")


def render_message(code: str, params: dict[str, Any]) -> str:
    template = MESSAGES.get(code)
    if template is None:
        return code
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)
