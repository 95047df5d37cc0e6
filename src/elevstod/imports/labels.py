"""The entity kinds and counts of a run in words (runs store plain keys)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

KINDS: dict[str, Promise] = {
    "organisations": pgettext_lazy("import kind", "school units"),
    "persons": pgettext_lazy("import kind", "persons"),
    "placements": pgettext_lazy("import kind", "placements"),
    "guardianships": pgettext_lazy("import kind", "guardianships"),
    "duties": pgettext_lazy("import kind", "duties"),
    "groups": pgettext_lazy("import kind", "groups"),
    "memberships": pgettext_lazy("import kind", "group memberships"),
    "mentorships": pgettext_lazy("import kind", "mentorships"),
    "activities": pgettext_lazy("import kind", "activities"),
    "teaching": pgettext_lazy("import kind", "teaching assignments"),
}
COUNTS: dict[str, Promise] = {
    "created": pgettext_lazy("import count", "created"),
    "updated": pgettext_lazy("import count", "updated"),
    "ended": pgettext_lazy("import count", "ended"),
    "failed": pgettext_lazy("import count", "refused"),
    "unchanged": pgettext_lazy("import count", "unchanged"),
    "skipped": pgettext_lazy("import count", "skipped"),
    "mentor groups": pgettext_lazy("import count", "mentor groups"),
}
