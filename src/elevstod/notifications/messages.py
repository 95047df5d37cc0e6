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
}


def render_message(code: str, params: dict[str, Any]) -> str:
    template = MESSAGES.get(code)
    if template is None:
        return code
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)
