"""A pupil left the unit where an action programme runs: the principal of that unit is asked to
close it (DOMAIN.md, validity and moving school). The principal keeps access to the running
programme after the pupil left (``access.departed_programme_reason``); this is the prompt."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse

from elevstod.accounts.models import User
from elevstod.core.models import active_on
from elevstod.notifications.services import notification_send
from elevstod.organisation.models import Duty, Placement

from . import workflow as wf
from .models import ActionProgramme

CODE = "support.programme.pupil_left"


def programmes_left_behind(placement_ids: Iterable[int]) -> list[ActionProgramme]:
    """The running programmes at the units these ended placements were at, of pupils with no
    current placement there."""
    found: list[ActionProgramme] = []
    for placement in Placement.objects.filter(pk__in=list(placement_ids), end_date__isnull=False):
        still_there = Placement.objects.filter(
            active_on(), pupil_id=placement.pupil_id, unit_id=placement.unit_id
        ).exists()
        if still_there:
            continue
        found += ActionProgramme.objects.filter(
            pupil_id=placement.pupil_id, unit_id=placement.unit_id, state__in=wf.IN_FORCE
        ).select_related("pupil")
    return found


@transaction.atomic
def departed_programmes_notify(placement_ids: list[int]) -> int:
    """Notify the principals; returns how many programmes they were asked to close."""
    programmes = programmes_left_behind(placement_ids)
    for programme in programmes:
        principals = Duty.objects.filter(
            active_on(), unit_id=programme.unit_id, role=Duty.Role.PRINCIPAL
        ).values("person_id")
        notification_send(
            code=CODE,
            actor=None,
            recipients=User.objects.filter(person_id__in=principals, is_active=True),
            url=reverse("support:programme_detail", args=[programme.pk]),
            pupil=programme.pupil,
        )
    return len(programmes)
