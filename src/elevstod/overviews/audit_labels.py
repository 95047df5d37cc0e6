"""The overviews' log codes in words (read by ``elevstod.audit.labels``)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PURPOSES: dict[str, Promise] = {
    "overviews.todo.list": _("Read a list of the principal's to-do list"),
    "overviews.statistics.unit": _("Opened the support statistics of a school unit"),
    "overviews.statistics.organiser": _("Opened the support statistics of the organiser"),
    "overviews.statistics.export": _("Exported support statistics"),
}

EVENTS: dict[str, Promise] = {}

REASONS: dict[str, Promise] = {
    "UNIT_STATISTICS": _("principal or pupil health team of the unit: its figures"),
    "ORGANISER_STATISTICS": _("analyst of the organiser: counts only"),
}
