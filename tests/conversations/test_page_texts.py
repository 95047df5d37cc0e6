"""What the talk and plan pages say to their readers: the notice of a protected identity for
staff, where the snapshot's adaptations are from, who answered the preparation questions, and
the offered times in words."""

from __future__ import annotations

from django.urls import reverse

import pytest

from elevstod.conversations.services import plans
from tests.builders import page

pytestmark = pytest.mark.django_db

NOTICE = "Skyddad identitet."


@pytest.mark.parametrize("pupil", ["protected_pupil", "pupil"])
def test_staff_see_the_protected_identity_notice_on_the_talks_and_the_plan(as_user, cast, pupil):
    person = getattr(cast, pupil)
    plan = plans.plan_start(actor=cast.mentor, pupil=person)
    mentor = as_user("mentor")
    talks_page = page(mentor, reverse("conversations:pupil_talks", args=[person.pk]))
    plan_page = page(mentor, reverse("conversations:plan_detail", args=[plan.pk]))
    pupil_page = page(mentor, reverse("organisation:pupil_detail", args=[person.pk]))
    protected = pupil == "protected_pupil"
    assert (NOTICE in talks_page, NOTICE in plan_page, NOTICE in pupil_page) == (
        protected,
        protected,
        protected,
    )


def test_the_snapshot_is_headed_by_the_day_it_was_taken(as_user, cast):
    plan = plans.plan_start(actor=cast.mentor, pupil=cast.pupil)
    snapshot = plans.plan_snapshot(actor=cast.mentor, plan_id=plan.pk)
    body = page(as_user("mentor"), reverse("conversations:plan_detail", args=[plan.pk]))
    assert f"Extra anpassningar som gällde {snapshot.taken_on.isoformat()}" in body
    assert "vid samtalet" not in body
