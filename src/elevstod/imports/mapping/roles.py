"""The default role mapping of the SS 12000 import: dutyRole -> role in Elevstöd."""

from __future__ import annotations

from elevstod.organisation.models import Duty

# An organiser may change it per source (Source.role_mapping).
ROLES: dict[str, str] = {
    "Rektor": Duty.Role.PRINCIPAL,
    "Lärare": Duty.Role.TEACHER,
    "Förstelärare": Duty.Role.TEACHER,
    "Förskollärare": Duty.Role.TEACHER,
    "Kurator": Duty.Role.PUPIL_HEALTH,
    "Skolsköterska": Duty.Role.PUPIL_HEALTH,
    "Skolläkare": Duty.Role.PUPIL_HEALTH,
    "Skolpsykolog": Duty.Role.PUPIL_HEALTH,
    "Speciallärare/specialpedagog": Duty.Role.PUPIL_HEALTH,
    "Skoladministratör": Duty.Role.ADMINISTRATOR,
}
