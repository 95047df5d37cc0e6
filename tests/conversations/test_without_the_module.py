"""A unit without the support module writes the pupil's extra adaptations under the school's
efforts of the development plan (seed 001): its pages point there, and none leads to a step
that asks for the second factor and then refuses, or to the module's "not enabled" page."""

from __future__ import annotations

from django.urls import reverse

import pytest

from elevstod.conversations.models import DevelopmentPlan
from elevstod.conversations.services import plans

pytestmark = pytest.mark.django_db


def _plan(cast) -> DevelopmentPlan:
    plan = plans.plan_start(actor=cast.mentor, pupil=cast.pupil)
    data = plans.PlanInput(pupil_will="Läsa.", guardians_will="", school_efforts="Läsfixare.")
    plans.plan_update(actor=cast.mentor, plan_id=plan.pk, data=data)
    return plan


def _without_module(cast) -> None:
    cast.unit_a1.support_module_enabled = False
    cast.unit_a1.save()


@pytest.mark.parametrize("module", [True, False])
def test_a_unit_without_the_module_points_to_the_schools_efforts(as_user, cast, module):
    cast.unit_a1.support_module_enabled = module
    cast.unit_a1.save()
    page = as_user("mentor").get(reverse("organisation:pupil_detail", args=[cast.pupil.pk]))
    body = page.content.decode()
    efforts = reverse("conversations:pupil_talks", args=[cast.pupil.pk])
    link = f'<a href="{efforts}">Utvecklingssamtalet och Skolans insatser</a>'
    assert (link in body) is not module
    assert ("Modulen Stödinsatser är inte aktiverad på Ekskolan" in body) is not module


def test_the_modules_not_enabled_page_links_to_the_schools_efforts(as_user, cast):
    _without_module(cast)
    url = reverse("support:adaptation_new", args=[cast.pupil.pk])
    efforts = reverse("conversations:pupil_talks", args=[cast.pupil.pk])
    page = as_user("mentor").get(url).content.decode()
    assert f'<a href="{efforts}">Utvecklingssamtalet och Skolans insatser</a>' in page
    # the principal does not reach the pupil's talks: no link that leads nowhere
    assert efforts not in as_user("principal").get(url).content.decode()


@pytest.mark.parametrize("module", [True, False])
def test_without_the_module_the_plan_offers_no_snapshot_and_no_link_to_the_module(
    as_user, cast, module
):
    if not module:
        _without_module(cast)
    plan = _plan(cast)
    snapshot = reverse("conversations:plan_snapshot", args=[plan.pk])
    page = as_user("mentor").get(reverse("conversations:plan_detail", args=[plan.pk]))
    body = page.content.decode()
    assert (snapshot in body) is module
    assert ("#pupil-support" in body) is module
    assert ("Utan modulen Stödinsatser" in body) is not module  # they are written in the plan
    answer = as_user("mentor").get(snapshot)
    if module:
        assert answer.status_code == 200
    else:  # no second factor asked for a picture that would then be refused
        assert answer["Location"] == reverse("conversations:plan_detail", args=[plan.pk])


@pytest.mark.real_step_up
def test_without_the_module_the_snapshot_asks_for_no_second_factor(client, cast):
    plan = _plan(cast)
    client.force_login(cast.mentor)
    snapshot = reverse("conversations:plan_snapshot", args=[plan.pk])
    assert client.get(snapshot)["Location"].startswith(reverse("accounts:step_up"))
    _without_module(cast)
    assert client.get(snapshot)["Location"] == reverse("conversations:plan_detail", args=[plan.pk])
