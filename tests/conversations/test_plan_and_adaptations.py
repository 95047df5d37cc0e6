"""The link between the plan and the extra adaptations (seed 001: "the school's efforts" and the
adaptations are seen together): the family finds the adaptations shown to them beside the plan
and the talk's record, never a hidden one, and is never linked to a plan still a draft."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

import pytest

from elevstod.conversations.models import DevelopmentPlan, DevelopmentTalk
from elevstod.conversations.services import plans, talks
from elevstod.core.timeutil import today
from elevstod.support.services import adaptations
from tests.builders import adaptation_input

pytestmark = pytest.mark.django_db

SHOWN, HIDDEN = "Bildstöd vid instruktioner", "Enskilt rum vid prov"


def _adaptations(cast) -> None:
    for title, visible in ((SHOWN, True), (HIDDEN, False)):
        adaptations.adaptation_create(
            actor=cast.teacher,
            pupil=cast.pupil,
            data=adaptation_input(
                cast.teacher.person, title=title, visible_to_family=visible, next_follow_up=None
            ),
        )


def _plan(cast, *, fix: bool) -> DevelopmentPlan:
    """A plan without a snapshot: what the family sees of the adaptations is today's list."""
    plan = plans.plan_start(actor=cast.mentor, pupil=cast.pupil)
    plans.plan_update(
        actor=cast.mentor,
        plan_id=plan.pk,
        data=plans.PlanInput(pupil_will="Läsa.", guardians_will="", school_efforts="Läsfixare."),
    )
    if fix:
        plans.plan_fix(actor=cast.mentor, plan_id=plan.pk)
    return plan


def _talk(cast) -> DevelopmentTalk:
    return talks.talk_plan(
        actor=cast.mentor,
        pupil=cast.pupil,
        data=talks.TalkInput(
            starts_at=dt.datetime.combine(today(), dt.time(8, 0)).astimezone(),
            duration_minutes=30,
            place="Sal 12",
            participant_ids=[cast.pupil.pk, cast.guardian.person.pk, cast.mentor.person.pk],
            other_participants="",
        ),
    )


def _family_link(cast) -> str:
    return reverse("organisation:family_pupil", args=[cast.pupil.pk]) + "#family-support"


@pytest.mark.parametrize("who", ["guardian", "pupil_user"])
def test_the_family_sees_the_adaptations_shown_to_them_beside_the_plan(as_user, cast, who):
    _adaptations(cast)
    plan = _plan(cast, fix=True)
    url = reverse("conversations:plan_detail", args=[plan.pk])
    family = as_user(who).get(url).content.decode()
    assert SHOWN in family
    assert HIDDEN not in family
    assert _family_link(cast) in family
    # side by side: staff follow the link to the adaptations themselves
    staff = as_user("mentor").get(url).content.decode()
    assert reverse("organisation:pupil_detail", args=[cast.pupil.pk]) + "#pupil-support" in staff
    assert _family_link(cast) not in staff


def test_the_talks_record_links_the_family_to_the_plan_only_once_it_is_fixed(as_user, cast):
    _adaptations(cast)
    talk = _talk(cast)
    plan = _plan(cast, fix=False)
    url = reverse("conversations:talk_detail", args=[talk.pk])
    plan_url = reverse("conversations:plan_detail", args=[plan.pk])
    draft = as_user("guardian").get(url).content.decode()
    assert plan_url not in draft  # behind it the family would find nothing (404)
    assert SHOWN not in draft
    assert plan_url in as_user("mentor").get(url).content.decode()

    plans.plan_fix(actor=cast.mentor, plan_id=plan.pk)
    fixed = as_user("guardian").get(url).content.decode()
    assert plan_url in fixed
    assert as_user("guardian").get(plan_url).status_code == 200
    assert SHOWN in fixed
    assert HIDDEN not in fixed
    assert _family_link(cast) in fixed
