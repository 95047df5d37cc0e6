"""A plan is fixed for its term; the next term gets a plan of its own and the earlier one stays
in history as it was: it cannot be reopened, written in, pictured or fixed, like an earlier
term's talk cannot be planned."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

import pytest
import time_machine

from elevstod.conversations.models import DevelopmentPlan
from elevstod.conversations.services import plans
from elevstod.conversations.terms import current_term
from elevstod.core.errors import DomainError

pytestmark = pytest.mark.django_db

TEXT = plans.PlanInput(pupil_will="Läsa.", guardians_will="", school_efforts="Läsfixare.")


def _fixed_plan(cast) -> DevelopmentPlan:
    plan = plans.plan_start(actor=cast.mentor, pupil=cast.pupil)
    plans.plan_update(actor=cast.mentor, plan_id=plan.pk, data=TEXT)
    plans.plan_fix(actor=cast.mentor, plan_id=plan.pk)
    return plan


def _next_term() -> time_machine.travel:
    return time_machine.travel(
        dt.datetime.combine(current_term().end + dt.timedelta(days=40), dt.time(12)), tick=False
    )


def test_an_earlier_terms_plan_cannot_be_reopened_but_the_new_terms_is_written(cast):
    plan = _fixed_plan(cast)
    with _next_term():
        with pytest.raises(DomainError) as refused:
            plans.plan_update(actor=cast.mentor, plan_id=plan.pk, data=TEXT)
        assert refused.value.code == "history"
        new = plans.plan_start(actor=cast.mentor, pupil=cast.pupil)
        assert new.pk != plan.pk
        assert plans.plan_update(actor=cast.mentor, plan_id=new.pk, data=TEXT).version == 1
    plan.refresh_from_db()
    assert (plan.state, plan.version) == ("FIXED", 1)


def test_an_earlier_terms_draft_is_not_written_in_pictured_or_fixed(cast):
    plan = plans.plan_start(actor=cast.mentor, pupil=cast.pupil)
    plans.plan_update(actor=cast.mentor, plan_id=plan.pk, data=TEXT)
    with _next_term():
        for change in (
            lambda: plans.subject_note_save(
                actor=cast.teacher,
                plan_id=plan.pk,
                subject_id=cast.maths.pk,
                strengths="x",
                development="y",
            ),
            lambda: plans.plan_snapshot(actor=cast.mentor, plan_id=plan.pk),
            lambda: plans.plan_fix(actor=cast.mentor, plan_id=plan.pk),
        ):
            with pytest.raises(DomainError) as refused:
                change()
            assert refused.value.code == "history"
    # in its own term the same steps are taken
    assert plans.plan_snapshot(actor=cast.mentor, plan_id=plan.pk).pk
    assert plans.plan_fix(actor=cast.mentor, plan_id=plan.pk).number == 1


def test_the_mentor_is_offered_no_new_version_of_an_earlier_terms_plan(as_user, cast):
    plan = _fixed_plan(cast)
    detail = reverse("conversations:plan_detail", args=[plan.pk])
    edit = reverse("conversations:plan_edit", args=[plan.pk])
    assert edit in as_user("mentor").get(detail).content.decode()
    with _next_term():
        page = as_user("mentor").get(detail).content.decode()
        assert edit not in page
        assert "tidigare termin" in page
        assert as_user("mentor").get(edit)["Location"] == detail
        assert as_user("mentor").post(edit, {"school_efforts": "Ändrad."})["Location"] == detail
    plan.refresh_from_db()
    assert plan.school_efforts == "Läsfixare."
