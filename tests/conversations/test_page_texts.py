"""What the talk and plan pages say to their readers: the notice of a protected identity for
staff, where the snapshot's adaptations are from, who answered the preparation questions, and
the offered times in words."""

from __future__ import annotations

from django.urls import reverse

import pytest

from elevstod.conversations.services import booking, plans
from tests.builders import page

from .conftest import talk_day

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


def _answer(as_user, who: str, talk, text: str) -> None:
    question = talk.unit.preparation_questions.first()
    url = reverse("conversations:talk_prepare", args=[talk.pk])
    assert as_user(who).post(url, {f"q{question.pk}": text}).status_code == 302


def test_the_answers_say_who_gave_them_the_pupil_or_a_guardian(as_user, cast, class_5a):
    talk = booking.slot_book(actor=cast.guardian, pupil=cast.pupil, slot_id=class_5a.slots[0].pk)
    _answer(as_user, "guardian", talk, "Hon är bra på att läsa.")
    _answer(as_user, "pupil_user", talk, "Jag är bra på att rita.")
    body = page(as_user("mentor"), reverse("conversations:talk_detail", args=[talk.pk]))
    pupil = f"Svar från {cast.pupil.full_name} (eleven)"
    guardian = f"Svar från {cast.guardian.person.full_name} (vårdnadshavare)"
    assert pupil in body
    assert guardian in body
    assert body.index(pupil) < body.index("Jag är bra på att rita.") < body.index(guardian)
    assert body.index(guardian) < body.index("Hon är bra på att läsa.")
    assert f"({cast.guardian.person.full_name})" not in body


@pytest.mark.parametrize(("who", "told"), [("guardian", True), ("pupil_user", False)])
def test_a_guardian_is_told_to_answer_with_or_about_the_child(as_user, cast, class_5a, who, told):
    talk = booking.slot_book(actor=cast.guardian, pupil=cast.pupil, slot_id=class_5a.slots[0].pk)
    body = page(as_user(who), reverse("conversations:talk_prepare", args=[talk.pk]))
    assert ("Frågorna är skrivna till eleven." in body) is told


WEEKDAYS = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]
MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti"]
MONTHS += ["september", "oktober", "november", "december"]


def test_the_offered_times_say_the_weekday_the_length_and_the_place(as_user, cast, class_5a):
    day = talk_day()
    body = page(as_user("guardian"), reverse("conversations:talk_book", args=[cast.pupil.pk]))
    words = f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"
    assert f"{words} 13:00–13:20, Sal 12" in body
    assert f"{words} 13:40–14:00, Sal 12" in body


def test_once_booked_the_link_says_the_time_can_be_changed_or_cancelled(as_user, cast, class_5a):
    url = reverse("conversations:pupil_talks", args=[cast.pupil.pk])
    before = page(as_user("guardian"), url)
    assert "Boka en tid" in before
    assert "Ändra eller avboka tiden" not in before
    booking.slot_book(actor=cast.guardian, pupil=cast.pupil, slot_id=class_5a.slots[1].pk)
    after = page(as_user("guardian"), url)
    assert "Ändra eller avboka tiden" in after
    assert "Boka en tid" not in after
    booked = page(as_user("guardian"), reverse("conversations:talk_book", args=[cast.pupil.pk]))
    assert "13:20–13:40, Sal 12" in booked.split("Välj en annan tid")[0]


def test_once_booked_the_booking_page_is_headed_as_moving_the_talk(as_user, cast, class_5a):
    url = reverse("conversations:talk_book", args=[cast.pupil.pk])
    assert "<h1>Boka tid för utvecklingssamtalet</h1>" in page(as_user("guardian"), url)
    booking.slot_book(actor=cast.guardian, pupil=cast.pupil, slot_id=class_5a.slots[1].pk)
    moved = page(as_user("guardian"), url)
    assert "<h1>Flytta utvecklingssamtalet till en annan tid</h1>" in moved


def test_the_pupils_talk_says_the_weekday_the_date_and_the_time_in_words(as_user, cast, class_5a):
    booking.slot_book(actor=cast.guardian, pupil=cast.pupil, slot_id=class_5a.slots[1].pk)
    day = talk_day()
    body = page(as_user("guardian"), reverse("conversations:pupil_talks", args=[cast.pupil.pk]))
    words = f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"
    assert f"{words} 13:20–13:40" in body
