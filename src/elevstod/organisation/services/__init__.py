"""Writes to the organisation: each is one transaction with its audit event.

The demo loader and the SS 12000 importer use these; nothing else writes organisation data. One
module per part (units and placements, persons and guardianships, groups and memberships, duties
and teaching); every service is importable from here too (``organisation.services.unit_create``).
"""

from __future__ import annotations

from .duties import (
    duty_assign,
    duty_change_role,
    duty_end,
    mentorship_assign,
    mentorship_end,
    teaching_assign,
    teaching_end,
)
from .groups import group_create, group_end, group_update, membership_add, membership_end
from .persons import (
    PERSON_SYNCED_FIELDS,
    guardianship_add,
    guardianship_end,
    person_create,
    person_update,
)
from .units import (
    organiser_create,
    placement_change_year,
    placement_end,
    placement_start,
    subject_create,
    unit_create,
    unit_set_support_module,
    unit_update,
)

__all__ = [
    "PERSON_SYNCED_FIELDS",
    "duty_assign",
    "duty_change_role",
    "duty_end",
    "group_create",
    "group_end",
    "group_update",
    "guardianship_add",
    "guardianship_end",
    "membership_add",
    "membership_end",
    "mentorship_assign",
    "mentorship_end",
    "organiser_create",
    "person_create",
    "person_update",
    "placement_change_year",
    "placement_end",
    "placement_start",
    "subject_create",
    "teaching_assign",
    "teaching_end",
    "unit_create",
    "unit_set_support_module",
    "unit_update",
]
