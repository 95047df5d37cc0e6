"""The talk and plan pages, as the mentor, a teacher and the family see them: who reaches what
(refused and allowed side by side), internal notes staff-only, the adaptations the family sees
in the plan, reads logged, and a bounded number of queries."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from elevstod.audit.models import AccessLogEntry
from elevstod.conversations.models import DevelopmentPlan, PreparationAnswer, TalkSlot
from elevstod.conversations.services import booking, plans, talks
from elevstod.core.timeutil import today
from elevstod.support.services import adaptations
from tests.builders import adaptation_input
from tests.factories import MentorshipFactory, PersonFactory, PlacementFactory

pytestmark = pytest.mark.django_db


def _fixed_plan_with_snapshot(cast) -> DevelopmentPlan:
    for title, visible in (("Bildstöd vid instruktioner", True), ("Enskilt rum vid prov", False)):
        adaptations.adaptation_create(
            actor=cast.teacher,
            pupil=cast.pupil,
            data=adaptation_input(
                cast.teacher.person, title=title, visible_to_family=visible, next_follow_up=None
            ),
        )
    plan = plans.plan_start(actor=cast.mentor, pupil=cast.pupil)
    plans.plan_update(
        actor=cast.mentor,
        plan_id=plan.pk,
        data=plans.PlanInput(
            pupil_will="Läsa varje dag.",
            guardians_will="Läsa tillsammans.",
            school_efforts="Läsfixare.",
        ),
    )
    plans.plan_snapshot(actor=cast.mentor, plan_id=plan.pk)
    plans.plan_fix(actor=cast.mentor, plan_id=plan.pk)
    return plan


def _talk(cast, **record):
    talk = talks.talk_plan(
        actor=cast.mentor,
        pupil=cast.pupil,
        data=talks.TalkInput(
            starts_at=dt.datetime.combine(
                today() + dt.timedelta(days=3), dt.time(15, 0)
            ).astimezone(),
            duration_minutes=30,
            place="Sal 12",
            participant_ids=[cast.pupil.pk, cast.guardian.person.pk, cast.mentor.person.pk],
            other_participants="",
        ),
    )
    if record:
        talk = talks.talk_record(
            actor=cast.mentor,
            talk_id=talk.pk,
            expected_version=talk.version,
            data=talks.RecordInput(held_on=None, **record),
        )
    return talk


@pytest.mark.parametrize("who", ["guardian", "pupil_user"])
def test_guardian_sees_only_visible_adaptations_in_the_plan_snapshot(as_user, cast, who):
    plan = _fixed_plan_with_snapshot(cast)
    url = reverse("conversations:plan_detail", args=[plan.pk])
    family = as_user(who).get(url).content.decode()
    assert "Bildstöd vid instruktioner" in family
    assert "Enskilt rum vid prov" not in family
    assert "Läsfixare." in family
    # side by side: the mentor sees both
    staff = as_user("mentor").get(url).content.decode()
    assert "Bildstöd vid instruktioner" in staff
    assert "Enskilt rum vid prov" in staff


@pytest.mark.real_step_up
def test_staff_see_the_hidden_adaptations_only_after_the_step_up(client, cast):
    plan = _fixed_plan_with_snapshot(cast)
    client.force_login(cast.mentor)
    page = client.get(reverse("conversations:plan_detail", args=[plan.pk])).content.decode()
    assert "Bildstöd vid instruktioner" in page
    assert "Enskilt rum vid prov" not in page


def test_the_family_reads_the_plan_only_once_it_is_fixed(as_user, cast):
    plan = plans.plan_start(actor=cast.mentor, pupil=cast.pupil)
    url = reverse("conversations:plan_detail", args=[plan.pk])
    assert as_user("guardian").get(url).status_code == 404
    assert as_user("teacher").get(url).status_code == 200


def test_internal_notes_are_for_staff_only(as_user, cast):
    talk = _talk(cast, record="Vi pratade om läsning.", internal_note="Oro för frånvaro.")
    url = reverse("conversations:talk_detail", args=[talk.pk])
    family = as_user("guardian").get(url).content.decode()
    assert "Vi pratade om läsning." in family
    assert "Oro för frånvaro." not in family
    staff = as_user("teacher").get(url).content.decode()
    assert "Oro för frånvaro." in staff


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("mentor", 200),
        ("teacher", 404),  # teaches her maths, but her identity is protected
        ("principal", 404),
        ("health", 404),
        ("guardian", 404),
    ],
)
def test_protected_identity_holds_on_the_talk_pages(as_user, cast, who, status):
    url = reverse("conversations:pupil_talks", args=[cast.protected_pupil.pk])
    assert as_user(who).get(url).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("pupil_user", 200),
        ("guardian", 200),
        ("teacher", 200),
        ("mentor", 200),
        ("colleague", 404),
        ("other_guardian", 404),
        ("admin", 404),
        ("nobody", 404),
    ],
)
def test_the_pupil_guardians_teachers_and_mentor_reach_the_talks(as_user, cast, who, status):
    url = reverse("conversations:pupil_talks", args=[cast.pupil.pk])
    assert as_user(who).get(url).status_code == status


def test_reads_and_refusals_are_logged_with_their_reason(as_user, cast):
    url = reverse("conversations:pupil_talks", args=[cast.pupil.pk])
    as_user("guardian").get(url)
    as_user("colleague").get(url)
    entries = AccessLogEntry.objects.filter(purpose="conversations.pupil.page").order_by("pk")
    assert [(e.actor_id, e.granted, e.reasons) for e in entries] == [
        (cast.guardian.pk, True, "GUARDIAN"),
        (cast.colleague.pk, False, ""),
    ]


def test_guardian_books_a_time_on_the_page_and_a_taken_time_is_refused(as_user, cast, class_5a):
    url = reverse("conversations:talk_book", args=[cast.pupil.pk])
    slot = class_5a.slots[0]
    page = as_user("guardian").get(url).content.decode()
    assert 'name="slot"' in page
    response = as_user("guardian").post(url, {"slot": slot.pk})
    assert response.status_code == 302
    assert TalkSlot.objects.get(pk=slot.pk).pupil == cast.pupil
    # the classmate's guardian no longer gets it offered; posting it anyway is refused
    client = as_user("guardian")
    client.force_login(class_5a.classmate_guardian)
    other = reverse("conversations:talk_book", args=[class_5a.classmate.pk])
    assert f'value="{slot.pk}"' not in client.get(other).content.decode()
    refused = client.post(other, {"slot": slot.pk})
    assert refused.status_code == 200
    assert TalkSlot.objects.get(pk=slot.pk).pupil == cast.pupil


def test_the_pupil_answers_the_preparation_questions(as_user, cast, class_5a):
    talk = booking.slot_book(actor=cast.guardian, pupil=cast.pupil, slot_id=class_5a.slots[0].pk)
    question = talk.unit.preparation_questions.first()
    url = reverse("conversations:talk_prepare", args=[talk.pk])
    response = as_user("pupil_user").post(url, {f"q{question.pk}": "Jag är bra på att rita."})
    assert response.status_code == 302
    assert PreparationAnswer.objects.get().respondent == cast.pupil
    staff = as_user("mentor").get(reverse("conversations:talk_detail", args=[talk.pk]))
    assert "Jag är bra på att rita." in staff.content.decode()
    # staff do not answer for the family
    assert as_user("teacher").get(url).status_code == 404


def test_a_too_long_answer_is_refused_with_the_text_kept(as_user, cast, class_5a):
    talk = booking.slot_book(actor=cast.guardian, pupil=cast.pupil, slot_id=class_5a.slots[0].pk)
    question = talk.unit.preparation_questions.first()
    text = "å" * 10_001
    response = as_user("guardian").post(
        reverse("conversations:talk_prepare", args=[talk.pk]), {f"q{question.pk}": text}
    )
    assert response.status_code == 200
    assert text in response.content.decode()
    assert not PreparationAnswer.objects.exists()


def _row(page: str, name: str) -> str:
    """The words of the overview's row of the pupil ``name``."""
    row = next(r for r in page.split("<tr>") if name in r).split("</tr>")[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()


def test_the_overview_shows_held_fixed_and_missing(as_user, cast, class_5a):
    # given: Alva's talk is held and her plan fixed; her classmate Elsa has neither
    _fixed_plan_with_snapshot(cast)
    talk = _talk(cast)
    talks.talk_record(
        actor=cast.mentor,
        talk_id=talk.pk,
        expected_version=talk.version,
        data=talks.RecordInput(held_on=today(), record="Bra samtal.", internal_note=""),
    )
    url = reverse("conversations:unit_overview", args=[cast.unit_a1.pk])
    principal = as_user("principal").get(url).content.decode()
    held = f"hållet {today():%Y-%m-%d}"
    assert _row(principal, "Alva Andersson") == f"Alva Andersson 5 {held} fastställd"
    assert _row(principal, "Elsa Ekholm") == "Elsa Ekholm 5 saknas saknas"
    assert "samtal hållna: 1" in principal
    assert "planer fastställda: 1" in principal
    assert "Bruno Bergqvist" in principal
    mentor = as_user("mentor").get(url).content.decode()
    assert _row(mentor, "Elsa Ekholm") == "Elsa Ekholm 5 saknas saknas"
    assert "Bruno Bergqvist" not in mentor
    assert as_user("teacher").get(url).status_code == 404


def test_the_overview_calls_the_preschool_class_f_not_year_0(as_user, cast):
    pupil = PersonFactory(given_name="Frida", family_name="Förskoleklass")
    PlacementFactory(pupil=pupil, unit=cast.unit_a1, school_year=0)
    url = reverse("conversations:unit_overview", args=[cast.unit_a1.pk])
    page = as_user("principal").get(url, {"alla": "1"}).content.decode()
    row = page[page.index("Frida Förskoleklass") :].split("</tr>")[0]
    assert '">F</td>' in row
    assert '">0</td>' not in row


def test_the_overview_runs_the_same_queries_for_many_pupils(as_user, cast, class_5a):
    _fixed_plan_with_snapshot(cast)
    client = as_user("principal")
    url = reverse("conversations:unit_overview", args=[cast.unit_a1.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for n in range(6):
        pupil = PersonFactory(given_name=f"Extra{n}", family_name="Elev")
        PlacementFactory(pupil=pupil, unit=cast.unit_a1, school_year=3)
        MentorshipFactory(mentor=cast.mentor.person, pupil=pupil, unit=cast.unit_a1)
    assert count() == few


def test_the_plan_page_runs_a_bounded_number_of_queries(
    as_user, cast, django_assert_max_num_queries
):
    plan = _fixed_plan_with_snapshot(cast)
    client = as_user("mentor")
    with django_assert_max_num_queries(25):
        client.get(reverse("conversations:plan_detail", args=[plan.pk]))


def test_from_an_adaptation_the_plan_of_its_term_is_one_click_away(as_user, cast):
    plan = _fixed_plan_with_snapshot(cast)
    adaptation = cast.pupil.adaptations.first()
    page = as_user("teacher").get(reverse("support:adaptation_detail", args=[adaptation.pk]))
    link = reverse("conversations:adaptation_plan", args=[adaptation.pk])
    assert link in page.content.decode()
    response = as_user("teacher").get(link)
    assert response["Location"] == reverse("conversations:plan_detail", args=[plan.pk])


def test_the_principal_keeps_the_units_preparation_questions(as_user, cast):
    url = reverse("conversations:unit_questions", args=[cast.unit_a1.pk])
    assert as_user("mentor").get(url).status_code == 404
    response = as_user("principal").post(
        url,
        {"questions": "Vad är du bra på?\n\nVad vill du lära dig?", "plan_in_other_years": "on"},
    )
    assert response.status_code == 302
    texts = list(
        cast.unit_a1.preparation_questions.filter(is_active=True).values_list("text", flat=True)
    )
    assert texts == ["Vad är du bra på?", "Vad vill du lära dig?"]
    assert cast.unit_a1.conversation_settings.plan_in_other_years


def test_the_record_sent_twice_is_written_once_and_a_stale_edit_keeps_the_text(as_user, cast):
    talk = _talk(cast)
    url = reverse("conversations:talk_record", args=[talk.pk])
    form = {"version": talk.version, "held_on": today().isoformat(), "record": "Bra samtal."}
    client = as_user("mentor")
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302  # the double click
    changed = client.post(url, form | {"record": "Ett annat försök."})
    assert changed.status_code == 200
    assert "Ett annat försök." in changed.content.decode()


@pytest.mark.parametrize("who", ["guardian", "mentor"])
def test_the_talk_pages_run_a_bounded_number_of_queries(
    as_user, cast, class_5a, who, django_assert_max_num_queries
):
    talk = booking.slot_book(actor=cast.guardian, pupil=cast.pupil, slot_id=class_5a.slots[0].pk)
    _fixed_plan_with_snapshot(cast)
    client = as_user(who)
    with django_assert_max_num_queries(25):
        client.get(reverse("conversations:pupil_talks", args=[cast.pupil.pk]))
    with django_assert_max_num_queries(25):
        client.get(reverse("conversations:talk_detail", args=[talk.pk]))


def test_the_mentor_withdraws_a_time_from_the_groups_schedule_after_confirming(
    as_user, cast, class_5a
):
    client = as_user("mentor")
    slot = class_5a.slots[0]
    schedule = client.get(reverse("conversations:group_times", args=[cast.class_5a.pk]))
    url = reverse("conversations:slot_withdraw", args=[slot.pk])
    assert url in schedule.content.decode()
    assert "Ingen har bokat tiden" in client.get(url).content.decode()
    answer = client.post(url)
    assert answer["Location"] == reverse("conversations:group_times", args=[cast.class_5a.pk])
    assert not TalkSlot.objects.filter(pk=slot.pk).exists()
    assert (
        as_user("teacher")
        .get(reverse("conversations:slot_withdraw", args=[class_5a.slots[1].pk]))
        .status_code
        == 404
    )
