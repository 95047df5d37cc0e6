"""The written development plan as a PDF: the same content its page shows the reader. The
family gets the last fixed version with only the adaptations marked visible to pupil and
guardian, never an internal note; staff get the plan as it stands, with the same adaptations
(the printed copy is the family's: the others stay on the page); whoever may not read the page
gets the same 404."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

import pytest

from elevstod.audit.models import AccessLogEntry
from elevstod.conversations.models import DevelopmentPlan
from elevstod.conversations.services import plans, talks
from elevstod.core.timeutil import today
from elevstod.support.services import adaptations
from tests.builders import adaptation_input, page

from .pdf import assert_tagged_pdf_ua, pdf_text

pytestmark = pytest.mark.django_db

VISIBLE = "Bildstöd vid instruktioner"
HIDDEN = "Enskilt rum vid prov"
INTERNAL = "Oro för frånvaro hemma."


def _talk_with_internal_note(cast) -> None:
    talk = talks.talk_plan(
        actor=cast.mentor,
        pupil=cast.pupil,
        data=talks.TalkInput(
            starts_at=dt.datetime.combine(today(), dt.time(15, 0)).astimezone(),
            duration_minutes=30,
            place="Sal 12",
            participant_ids=[cast.pupil.pk, cast.guardian.person.pk, cast.mentor.person.pk],
            other_participants="",
        ),
    )
    talks.talk_record(
        actor=cast.mentor,
        talk_id=talk.pk,
        expected_version=talk.version,
        data=talks.RecordInput(
            held_on=None, record="Vi pratade om läsning.", internal_note=INTERNAL
        ),
    )


def _draft(cast, efforts: str, pupil=None) -> DevelopmentPlan:
    plan = plans.plan_start(actor=cast.mentor, pupil=pupil or cast.pupil)
    return plans.plan_update(
        actor=cast.mentor,
        plan_id=plan.pk,
        data=plans.PlanInput(
            pupil_will="Läsa varje dag.", guardians_will="Läsa tillsammans.", school_efforts=efforts
        ),
    )


@pytest.fixture
def fixed_plan(cast) -> DevelopmentPlan:
    """A fixed plan of the term with a snapshot of one visible and one hidden adaptation, and
    the term's talk with an internal note."""
    for title, visible in ((VISIBLE, True), (HIDDEN, False)):
        adaptations.adaptation_create(
            actor=cast.teacher,
            pupil=cast.pupil,
            data=adaptation_input(
                cast.teacher.person, title=title, visible_to_family=visible, next_follow_up=None
            ),
        )
    _talk_with_internal_note(cast)
    plan = _draft(cast, "Läsfixare varje morgon.")
    plans.plan_snapshot(actor=cast.mentor, plan_id=plan.pk)
    plans.plan_fix(actor=cast.mentor, plan_id=plan.pk)
    return plan


def _url(plan: DevelopmentPlan) -> str:
    return reverse("plan_documents:plan_pdf", args=[plan.pk])


@pytest.mark.parametrize("who", ["guardian", "pupil_user"])
def test_the_family_gets_the_fixed_plan_with_only_the_adaptations_shown_to_them(
    as_user, cast, fixed_plan, who
):
    response = as_user(who).get(_url(fixed_plan))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert_tagged_pdf_ua(
        response.content, lang="sv-SE", title="Skriftlig individuell utvecklingsplan"
    )
    text = pdf_text(response.content)
    assert "Skolans insatser" in text
    assert "Läsfixare varje morgon." in text
    assert VISIBLE in text
    assert HIDDEN not in text
    assert INTERNAL not in text
    assert "version 1, fastställd" in text


def test_the_family_gets_the_fixed_version_while_staff_draft_the_next(as_user, cast, fixed_plan):
    plans.plan_update(
        actor=cast.mentor,
        plan_id=fixed_plan.pk,
        data=plans.PlanInput(pupil_will="", guardians_will="", school_efforts="Mer högläsning."),
    )
    family = pdf_text(as_user("guardian").get(_url(fixed_plan)).content)
    assert "Läsfixare varje morgon." in family
    assert "Mer högläsning." not in family
    staff = pdf_text(as_user("mentor").get(_url(fixed_plan)).content)
    assert "Mer högläsning." in staff
    assert "utkast till version 2" in staff


@pytest.mark.parametrize("who", ["mentor", "teacher"])
def test_staff_after_the_step_up_print_the_familys_copy_without_the_hidden_adaptations(
    as_user, cast, fixed_plan, who
):
    # the printed copy is handed to the family: what is not shown to them stays on the page
    text = pdf_text(as_user(who).get(_url(fixed_plan)).content)
    assert VISIBLE in text
    assert HIDDEN not in text
    assert "visas inte för elev och vårdnadshavare" not in text
    assert "Version 1, fastställd" in text  # the fixed versions, as on the page
    staff_page = page(as_user(who), reverse("conversations:plan_detail", args=[fixed_plan.pk]))
    assert HIDDEN in staff_page


@pytest.mark.real_step_up
def test_staff_without_the_step_up_get_only_the_adaptations_shown_to_the_family(
    client, cast, fixed_plan
):
    client.force_login(cast.mentor)
    response = client.get(_url(fixed_plan))
    assert response.status_code == 200  # the plan is not support content; its page opens too
    text = pdf_text(response.content)
    assert VISIBLE in text
    assert HIDDEN not in text


def test_the_draft_of_a_staff_plan_prints_for_staff_only(as_user, cast):
    plan = _draft(cast, "Läsfixare varje morgon.")
    assert as_user("guardian").get(_url(plan)).status_code == 404
    response = as_user("mentor").get(_url(plan))
    assert response.status_code == 200
    assert "utkast till version 1" in pdf_text(response.content)


@pytest.mark.parametrize("who", ["colleague", "principal", "admin", "other_guardian", "nobody"])
def test_who_may_not_read_the_plan_gets_the_404_of_a_missing_page(as_user, cast, fixed_plan, who):
    page_answer = as_user(who).get(reverse("conversations:plan_detail", args=[fixed_plan.pk]))
    response = as_user(who).get(_url(fixed_plan))
    assert response.status_code == page_answer.status_code == 404
    assert cast.pupil.full_name not in response.content.decode()
    refused = AccessLogEntry.objects.get(purpose="documents.plan.pdf")
    assert (refused.actor_id, refused.granted) == (cast.user(who).pk, False)


def test_a_missing_plan_gets_the_same_404(as_user, cast):
    assert (
        as_user("mentor").get(reverse("plan_documents:plan_pdf", args=[999999])).status_code == 404
    )


def test_the_read_is_logged_with_the_documents_purpose(as_user, cast, fixed_plan):
    as_user("guardian").get(_url(fixed_plan))
    entry = AccessLogEntry.objects.get(purpose="documents.plan.pdf")
    assert (entry.actor_id, entry.pupil_id, entry.granted, entry.reasons) == (
        cast.guardian.pk,
        cast.pupil.pk,
        True,
        "GUARDIAN",
    )
    assert entry.path == _url(fixed_plan)


@pytest.mark.parametrize("who", ["mentor", "teacher", "guardian", "pupil_user"])
def test_the_plan_page_links_its_pdf(client, cast, fixed_plan, who):
    client.force_login(cast.user(who))
    body = page(client, reverse("conversations:plan_detail", args=[fixed_plan.pk]))
    assert f'href="{_url(fixed_plan)}"' in body
    assert "Skriv ut / PDF" in body


def test_the_pdf_runs_a_bounded_number_of_queries(
    as_user, cast, fixed_plan, django_assert_max_num_queries
):
    client = as_user("mentor")
    with django_assert_max_num_queries(25):
        assert client.get(_url(fixed_plan)).status_code == 200


@pytest.mark.parametrize(("who", "status"), [("mentor", 200), ("teacher", 404)])
def test_protected_identity_holds_for_the_plan_pdf(as_user, cast, who, status):
    # the teacher teaches her maths, but her identity is protected; the mentor reaches her
    plan = _draft(cast, "Läsfixare varje morgon.", pupil=cast.protected_pupil)
    plans.plan_fix(actor=cast.mentor, plan_id=plan.pk)
    response = as_user(who).get(_url(plan))
    assert response.status_code == status
    if status == 200:
        assert "Skyddad identitet." in pdf_text(response.content)
