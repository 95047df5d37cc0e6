"""The disposal page: an officer confirms their own organiser's dry run; another organiser's run,
or none, is answered like a missing page, and nothing is removed."""

from __future__ import annotations

from django.urls import reverse

import pytest

from elevstod.audit import disposal
from elevstod.audit.models import DisposalRun
from elevstod.organisation.models import Duty
from tests.factories import DutyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _officer_of(organiser):
    user = UserFactory()
    DutyFactory(
        person=user.person, organiser=organiser, unit=None, role=Duty.Role.DATA_PROTECTION_OFFICER
    )
    return user


def _confirm(client, user, run):
    client.force_login(user)
    return client.post(reverse("audit:disposal"), {"action": "confirm", "run": run.pk})


@pytest.fixture
def run(cast):
    return disposal.disposal_dry_run(
        actor=_officer_of(cast.organiser_a), organiser=cast.organiser_a
    )


def test_the_officer_confirms_their_organisers_run(client, cast, run):
    response = _confirm(client, _officer_of(cast.organiser_a), run)
    assert response.status_code == 302
    assert DisposalRun.objects.get(pk=run.pk).state == DisposalRun.State.CONFIRMED


def test_the_officer_of_another_organiser_gets_not_found_and_nothing_happens(client, cast, run):
    response = _confirm(client, _officer_of(cast.organiser_b), run)
    assert response.status_code == 404
    assert DisposalRun.objects.get(pk=run.pk).state == DisposalRun.State.DRY_RUN
