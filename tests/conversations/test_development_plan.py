"""The written individual development plan: required in years 1-5 (optional by a unit's
setting in other years), drafted by the mentor, a subject's part by its teachers, fixed for the
term as a version that is never changed; a change after fixing is a new version."""

from __future__ import annotations

from django.db import DatabaseError, transaction

import pytest

from elevstod.conversations.models import ConversationSettings, PlanVersion
from elevstod.conversations.services import plans
from elevstod.conversations.terms import Term, plan_required, term_of
from elevstod.core.errors import DomainError
from elevstod.notifications.models import Notification
from elevstod.organisation.models import Placement
from elevstod.support.services import adaptations
from tests.builders import adaptation_input

pytestmark = pytest.mark.django_db


def _draft(cast, **text):
    plan = plans.plan_start(actor=cast.mentor, pupil=cast.pupil)
    data = {"pupil_will": "Läsa varje dag.", "guardians_will": "", "school_efforts": "Lästräning."}
    return plans.plan_update(
        actor=cast.mentor, plan_id=plan.pk, data=plans.PlanInput(**(data | text))
    )


def test_siup_required_only_in_years_1_to_5(cast):
    assert [year for year in range(0, 11) if plan_required(year)] == [1, 2, 3, 4, 5]
    # year 5: the mentor starts the plan
    assert plans.plan_start(actor=cast.mentor, pupil=cast.pupil).school_year == 5
    # year 6, side by side: refused, unless the unit writes plans in its other years too
    Placement.objects.filter(pupil=cast.protected_pupil).update(school_year=6)
    with pytest.raises(DomainError, match="årskurs 1–5"):
        plans.plan_start(actor=cast.mentor, pupil=cast.protected_pupil)
    ConversationSettings.objects.create(unit=cast.unit_a1, plan_in_other_years=True)
    assert plans.plan_start(actor=cast.mentor, pupil=cast.protected_pupil).school_year == 6


def test_a_plan_in_year_7_needs_the_units_setting(cast):
    Placement.objects.filter(pupil=cast.pupil).update(school_year=7)
    with pytest.raises(DomainError, match="årskurs 1–5"):
        plans.plan_start(actor=cast.mentor, pupil=cast.pupil)
    ConversationSettings.objects.create(unit=cast.unit_a1, plan_in_other_years=True)
    assert plans.plan_start(actor=cast.mentor, pupil=cast.pupil).school_year == 7


def test_terms_are_spring_and_autumn_and_sort_in_time_order():
    import datetime as dt

    spring, autumn = term_of(dt.date(2026, 3, 1)), term_of(dt.date(2026, 9, 1))
    assert (spring, autumn) == (Term(2026, "VT"), Term(2026, "HT"))
    assert sorted([autumn.code, term_of(dt.date(2027, 1, 5)).code, spring.code]) == [
        "2026-1VT",
        "2026-2HT",
        "2027-1VT",
    ]


@pytest.mark.parametrize("who", ["teacher", "principal", "guardian", "pupil_user"])
def test_only_the_mentor_drafts_the_plan(cast, who):
    with pytest.raises(DomainError) as refused:
        plans.plan_start(actor=cast.user(who), pupil=cast.pupil)
    assert refused.value.code == "forbidden"
    assert plans.plan_start(actor=cast.mentor, pupil=cast.pupil).pk


def test_teacher_writes_only_the_subjects_they_teach_the_pupil(cast):
    plan = _draft(cast)
    note = plans.subject_note_save(
        actor=cast.teacher,
        plan_id=plan.pk,
        subject_id=cast.maths.pk,
        strengths="Räknar säkert.",
        development="Förklara hur du tänker.",
    )
    assert note.written_by == cast.teacher.person
    # the colleague teaches class 5B, not Alva
    with pytest.raises(DomainError) as refused:
        plans.subject_note_save(
            actor=cast.colleague,
            plan_id=plan.pk,
            subject_id=cast.maths.pk,
            strengths="x",
            development="y",
        )
    assert refused.value.code == "forbidden"


def test_a_fixed_version_is_a_record_the_database_never_changes(cast):
    plan = _draft(cast)
    version = plans.plan_fix(actor=cast.mentor, plan_id=plan.pk)
    assert version.content["school_efforts"] == "Lästräning."
    assert version.fixed_by == cast.mentor.person
    with pytest.raises(DatabaseError), transaction.atomic():
        PlanVersion.objects.filter(pk=version.pk).update(content={})
    with pytest.raises(DatabaseError), transaction.atomic():
        PlanVersion.objects.filter(pk=version.pk).delete()


def test_a_change_after_fixing_is_a_new_version_with_who_and_when(cast):
    plan = _draft(cast)
    plans.plan_fix(actor=cast.mentor, plan_id=plan.pk)
    with pytest.raises(DomainError, match="fastställd"):
        plans.plan_fix(actor=cast.mentor, plan_id=plan.pk)  # a double submit fixes once
    changed = plans.plan_update(
        actor=cast.mentor,
        plan_id=plan.pk,
        data=plans.PlanInput(pupil_will="Läsa.", guardians_will="", school_efforts="Mer läsning."),
    )
    assert (changed.state, changed.version) == ("DRAFT", 2)
    second = plans.plan_fix(actor=cast.mentor, plan_id=plan.pk)
    first = PlanVersion.objects.get(plan=plan, number=1)
    assert first.content["school_efforts"] == "Lästräning."
    assert second.number == 2
    assert second.content["school_efforts"] == "Mer läsning."
    assert second.fixed_by == cast.mentor.person
    assert second.fixed_at >= first.fixed_at


def test_teachers_cannot_change_a_fixed_plan(cast):
    plan = _draft(cast)
    plans.plan_fix(actor=cast.mentor, plan_id=plan.pk)
    with pytest.raises(DomainError, match="fastställd"):
        plans.subject_note_save(
            actor=cast.teacher,
            plan_id=plan.pk,
            subject_id=cast.maths.pk,
            strengths="x",
            development="y",
        )


def test_fixing_tells_the_pupil_and_guardians(cast):
    plan = _draft(cast)
    plans.plan_fix(actor=cast.mentor, plan_id=plan.pk)
    told = set(
        Notification.objects.filter(code="conversations.plan.fixed").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"guardian", "pupil_user"}


def _adaptation(cast, title, visible):
    return adaptations.adaptation_create(
        actor=cast.teacher,
        pupil=cast.pupil,
        data=adaptation_input(
            cast.teacher.person, title=title, visible_to_family=visible, next_follow_up=None
        ),
    )


def test_the_snapshot_holds_the_adaptations_that_apply_at_the_talk(cast):
    shown = _adaptation(cast, "Bildstöd vid instruktioner", True)
    hidden = _adaptation(cast, "Enskilt rum vid prov", False)
    plan = _draft(cast)
    snapshot = plans.plan_snapshot(actor=cast.mentor, plan_id=plan.pk)
    assert {item["id"] for item in snapshot.items} == {shown.pk, hidden.pk}
    again = plans.plan_snapshot(actor=cast.mentor, plan_id=plan.pk)
    assert again.pk == snapshot.pk  # one picture a day


def test_without_the_support_module_there_is_no_snapshot_but_the_schools_efforts(cast):
    cast.unit_a1.support_module_enabled = False
    cast.unit_a1.save()
    plan = _draft(cast, school_efforts="Förlängd skrivtid vid prov.")
    with pytest.raises(DomainError, match="Skolans insatser"):
        plans.plan_snapshot(actor=cast.mentor, plan_id=plan.pk)
    assert plans.plan_fix(actor=cast.mentor, plan_id=plan.pk).content["school_efforts"]
