"""The API's log codes in words (read by ``elevstod.audit.labels``)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PURPOSES: dict[str, Promise] = {}

EVENTS: dict[str, Promise] = {
    "api.integration_client.created": _("Created a client for a system integration"),
    "api.integration_client.revoked": _("Revoked a client of a system integration"),
}

REASONS: dict[str, Promise] = {
    "INTEGRATION_CLIENT": _("a system integration of the organiser: counts of granted units"),
}
