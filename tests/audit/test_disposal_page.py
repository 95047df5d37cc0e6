"""The disposal page: an officer confirms their own organiser's dry run; another organiser's run,
or none, is answered like a missing page, and nothing is removed."""

from __future__ import annotations

from django.urls import reverse

import pytest

from elevstod.audit import disposal
from elevstod.audit.models import DisposalRun, RetentionRule
from elevstod.organisation.models import Duty
from elevstod.support.registrations import EXTRA_ADAPTATIONS
from tests.factories import DutyFactory, UserFactory

ADAPTATIONS = EXTRA_ADAPTATIONS.kind

pytestmark = pytest.mark.django_db


def _officer_of(organiser):
    user = UserFactory()
    DutyFactory(
        person=user.person, organiser=organiser, unit=None, role=Duty.Role.DATA_PROTECTION_OFFICER
    )
    return user


def _confirm(client, user, run):
    client.force_login(user)
    return client.post(reverse("audit:disposal_confirm"), {"run": run.pk})


@pytest.fixture
def run(cast):
    return disposal.disposal_dry_run(
        actor=_officer_of(cast.organiser_a), organiser=cast.organiser_a, kind=ADAPTATIONS
    )


def test_the_officer_confirms_their_organisers_run(client, cast, run):
    response = _confirm(client, _officer_of(cast.organiser_a), run)
    assert response.status_code == 302
    assert DisposalRun.objects.get(pk=run.pk).state == DisposalRun.State.CONFIRMED


def test_the_officer_of_another_organiser_gets_not_found_and_nothing_happens(client, cast, run):
    response = _confirm(client, _officer_of(cast.organiser_b), run)
    assert response.status_code == 404
    assert DisposalRun.objects.get(pk=run.pk).state == DisposalRun.State.DRY_RUN


def test_an_unknown_run_is_not_found_and_nothing_happens(client, cast, run):
    client.force_login(_officer_of(cast.organiser_a))
    for posted in ({"run": run.pk + 1}, {"run": "x"}, {}):
        assert client.post(reverse("audit:disposal_confirm"), posted).status_code == 404
    assert DisposalRun.objects.get(pk=run.pk).state == DisposalRun.State.DRY_RUN


def test_the_officer_sets_how_many_years_extra_adaptations_are_kept(client, cast):
    client.force_login(_officer_of(cast.organiser_a))
    response = client.post(reverse("audit:disposal_rule"), {"kind": ADAPTATIONS, "keep_years": "3"})
    assert response["Location"] == reverse("audit:disposal")
    assert RetentionRule.objects.get(organiser=cast.organiser_a).keep_years == 3
    client.post(reverse("audit:disposal_rule"), {"kind": ADAPTATIONS, "keep_years": ""})
    assert RetentionRule.objects.get(organiser=cast.organiser_a).keep_years is None


@pytest.mark.parametrize("typed", ["101", "-1", "tre"])
def test_a_number_of_years_out_of_range_is_said_and_the_typed_value_kept(client, cast, typed):
    client.force_login(_officer_of(cast.organiser_a))
    response = client.post(
        reverse("audit:disposal_rule"), {"kind": ADAPTATIONS, "keep_years": typed}
    )
    assert response.status_code == 200
    assert response.context["kinds"][0]["rule"].errors["keep_years"]
    assert f'value="{typed}"' in response.content.decode()
    assert not RetentionRule.objects.filter(organiser=cast.organiser_a).exists()


def test_a_teacher_cannot_set_the_rule_or_make_a_dry_run(client, cast):
    client.force_login(cast.teacher)
    assert (
        client.post(
            reverse("audit:disposal_rule"), {"kind": ADAPTATIONS, "keep_years": "0"}
        ).status_code
        == 404
    )
    assert client.post(reverse("audit:disposal_dry_run"), {"kind": ADAPTATIONS}).status_code == 404
    assert not RetentionRule.objects.exists()
    assert not DisposalRun.objects.exists()


def test_a_rule_or_dry_run_of_an_undeclared_kind_is_not_found_and_nothing_happens(client, cast):
    client.force_login(_officer_of(cast.organiser_a))
    posted = {"kind": "PUPILS", "keep_years": "0"}
    assert client.post(reverse("audit:disposal_rule"), posted).status_code == 404
    assert client.post(reverse("audit:disposal_dry_run"), posted).status_code == 404
    assert client.post(reverse("audit:disposal_dry_run")).status_code == 404
    assert not RetentionRule.objects.exists()
    assert not DisposalRun.objects.exists()
