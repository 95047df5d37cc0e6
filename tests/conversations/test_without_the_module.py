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
