"""The imports app's log codes in words (read by ``elevstod.audit.labels``)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PURPOSES: dict[str, Promise] = {
    "imports.people.lookup": _("Looked up where a person's data came from"),
}
EVENTS: dict[str, Promise] = {
    "imports.source.created": _("Added an SS 12000 source"),
    "imports.run.finished": _("Ran a synchronisation with the school information system"),
    "imports.pupil.synchronised": _(
        "Changed the pupil's data in a synchronisation with the school information system"
    ),
}
