"""A pupil whose placement a synchronisation ended: the principal of the unit is asked to close
the running action programme; nobody is asked when the pupil stays or has no running programme."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from elevstod.core.timeutil import today
from elevstod.imports import hooks
from elevstod.notifications.models import Notification
from elevstod.organisation import services as org
from elevstod.organisation.models import Placement

from ..builders import decided_programme


def end_placement(pupil, unit):
    placement = Placement.objects.get(pupil=pupil, unit=unit)
    with transaction.atomic():
        org.placement_end(actor=None, placement=placement, end_date=today() - dt.timedelta(days=1))
    return placement


def test_the_principal_is_asked_to_close_the_programme_of_a_pupil_who_left(school):
    programme = decided_programme(school)
    Notification.objects.all().delete()
    placement = end_placement(school.pupil, school.unit)

    hooks.placements_ended([placement.pk])

    asked = Notification.objects.get(code="support.programme.pupil_left")
    assert asked.recipient == school.principal
    assert asked.url.endswith(f"/{programme.pk}/")


def test_nobody_is_asked_when_the_pupil_has_no_running_programme(school):
    placement = end_placement(school.classmate, school.unit)

    hooks.placements_ended([placement.pk])

    assert not Notification.objects.filter(code="support.programme.pupil_left").exists()
