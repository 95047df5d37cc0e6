"""The demo has talks booked and held, plans in years 1-5 with the school's efforts and the
snapshot of adaptations (the demo guardian's fixed plan shows one adaptation marked visible and
not one that is not), and the unit without the support module using the school's efforts."""

from __future__ import annotations

from django.urls import reverse

import pytest

from elevstod.accounts.models import User
from elevstod.conversations.demo import conversations_demo_load
from elevstod.conversations.models import (
    AdaptationSnapshot,
    DevelopmentPlan,
    DevelopmentTalk,
    PlanVersion,
    TalkSlot,
)
from elevstod.home.demo import demo_load
from elevstod.support.demo import support_demo_load


@pytest.fixture
def demo(db):
    demo_load(pupils=60)
    support_demo_load()
    conversations_demo_load()


def test_the_demo_has_talks_booked_and_held_and_fixed_plans_in_years_1_to_5(demo):
    assert DevelopmentTalk.objects.filter(held_on__isnull=False).exists()
    assert TalkSlot.objects.filter(pupil__isnull=False).exists()
    assert TalkSlot.objects.filter(pupil__isnull=True).exists()  # times left to book
    assert PlanVersion.objects.exists()
    assert set(DevelopmentPlan.objects.values_list("school_year", flat=True)) <= {1, 2, 3, 4, 5}
    assert not DevelopmentPlan.objects.filter(school_efforts="").exists()


def test_the_demo_unit_without_the_module_writes_adaptations_under_the_schools_efforts(demo):
    without = DevelopmentPlan.objects.filter(unit__support_module_enabled=False)
    assert without.exists()
    assert all("Extra anpassningar" in p.school_efforts for p in without)
    assert not AdaptationSnapshot.objects.filter(plan__unit__support_module_enabled=False).exists()
    with_module = AdaptationSnapshot.objects.filter(plan__unit__support_module_enabled=True)
    assert any(s.items for s in with_module)


def test_the_demo_guardian_reads_a_fixed_plan_whose_snapshot_shows_only_the_visible(demo, client):
    guardian = User.objects.get(username="vardnadshavare")
    snapshot = AdaptationSnapshot.objects.get(
        plan__pupil__guardianships__guardian=guardian.person, plan__state="FIXED"
    )
    shown = [i["title"] for i in snapshot.items if i["visible_to_family"]]
    hidden = [i["title"] for i in snapshot.items if not i["visible_to_family"]]
    assert shown
    assert hidden
    client.force_login(guardian)
    url = reverse("conversations:plan_detail", args=[snapshot.plan_id])
    page = client.get(url).content.decode()
    assert all(title in page for title in shown)
    assert not any(title in page for title in hidden)
