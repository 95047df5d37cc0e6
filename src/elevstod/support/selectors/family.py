"""What the family (the pupil and the guardians) sees of the pupil's support."""

from __future__ import annotations

from dataclasses import dataclass

from elevstod.organisation.access import Grant, Right
from elevstod.organisation.models import Person

from .. import workflow as wf
from ..models import ActionProgramme, ExtraAdaptation, Investigation


@dataclass
class FamilySupport:
    """What a pupil and their guardians see: *that* support exists, and the adaptations the
    school marked "show to pupil and guardian". Nothing else (DOMAIN.md §3, seed 001)."""

    has_support: bool
    adaptations: list[ExtraAdaptation]


def family_support(*, grant: Grant) -> FamilySupport:
    """Support exists when the pupil has an active adaptation, an investigation in progress or
    an action programme not closed (drafted or in force); of special support only that."""
    if not grant.has(Right.FAMILY_VIEW):
        return FamilySupport(False, [])
    active = ExtraAdaptation.objects.filter(pupil=grant.pupil, status=ExtraAdaptation.Status.ACTIVE)
    shown = list(active.filter(visible_to_family=True).prefetch_related("subjects"))
    return FamilySupport(bool(shown) or active.exists() or _special_support(grant.pupil), shown)


def _special_support(pupil: Person) -> bool:
    ongoing = Investigation.objects.filter(pupil=pupil, state__in=wf.ONGOING_INVESTIGATION)
    programmes = ActionProgramme.objects.filter(pupil=pupil, state__in=wf.ONGOING_PROGRAMME)
    return ongoing.exists() or programmes.exists()
