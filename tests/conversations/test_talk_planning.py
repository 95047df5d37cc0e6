"""The mentor plans the pupil's development talk of the term: only the mentor plans it, those
taking part are the pupil, the guardians and the mentor (others by name in words), a day of an
earlier term is refused, and the pupil and guardians are told; preparing tells the mentor."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

import pytest

from elevstod.conversations.models import DevelopmentTalk
from elevstod.conversations.services import talks
from elevstod.conversations.terms import current_term
from elevstod.core.errors import DomainError
from elevstod.core.timeutil import today
from elevstod.notifications.models import Notification
from elevstod.support.errors import FieldError

pytestmark = pytest.mark.django_db


def _input(cast, *, day: dt.date | None = None, people=None, others: str = "") -> talks.TalkInput:
    return talks.TalkInput(
        starts_at=dt.datetime.combine(day or today(), dt.time(15, 0)).astimezone(),
        duration_minutes=30,
        place="Sal 12",
        participant_ids=(
            people
            if people is not None
            else [cast.pupil.pk, cast.guardian.person.pk, cast.mentor.person.pk]
        ),
        other_participants=others,
    )


def _told(code: str) -> set[str]:
    return set(Notification.objects.filter(code=code).values_list("recipient__username", flat=True))


@pytest.mark.parametrize("who", ["teacher", "principal", "colleague", "guardian", "pupil_user"])
def test_only_the_mentor_plans_the_talk(cast, who):
    with pytest.raises(DomainError) as refused:
        talks.talk_plan(actor=cast.user(who), pupil=cast.pupil, data=_input(cast))
    assert refused.value.code == "forbidden"
    assert not DevelopmentTalk.objects.exists()
    talk = talks.talk_plan(actor=cast.mentor, pupil=cast.pupil, data=_input(cast))
    assert (talk.mentor, talk.term) == (cast.mentor.person, current_term().code)


def test_the_pupil_the_guardians_and_the_mentor_take_part_and_others_by_name(cast):
    with pytest.raises(FieldError) as refused:
        talks.talk_plan(
            actor=cast.mentor,
            pupil=cast.pupil,
            data=_input(cast, people=[cast.pupil.pk, cast.colleague.person.pk]),
        )
    assert refused.value.field == "participants"
    talk = talks.talk_plan(
        actor=cast.mentor, pupil=cast.pupil, data=_input(cast, others="Kim, specialpedagog")
    )
    assert set(talk.participants.all()) == {cast.pupil, cast.guardian.person, cast.mentor.person}
    assert talk.other_participants == "Kim, specialpedagog"


def test_a_talk_cannot_be_planned_in_an_earlier_term(cast):
    earlier = current_term().start - dt.timedelta(days=1)
    with pytest.raises(FieldError) as refused:
        talks.talk_plan(actor=cast.mentor, pupil=cast.pupil, data=_input(cast, day=earlier))
    assert refused.value.field == "starts_at"
    assert not DevelopmentTalk.objects.exists()
    # the first day of this term is planned (a talk held earlier this term may be written down)
    first = talks.talk_plan(
        actor=cast.mentor, pupil=cast.pupil, data=_input(cast, day=current_term().start)
    )
    assert first.term == current_term().code


def test_planning_the_talk_tells_the_pupil_and_guardians(cast):
    talks.talk_plan(actor=cast.mentor, pupil=cast.pupil, data=_input(cast))
    assert _told("conversations.talk.planned") == {"guardian", "pupil_user"}


def test_preparing_the_talk_tells_the_mentor(cast, class_5a):
    talk = talks.talk_plan(actor=cast.mentor, pupil=cast.pupil, data=_input(cast))
    question = talk.unit.preparation_questions.first()
    talks.preparation_answer(actor=cast.guardian, talk_id=talk.pk, answers={question.pk: "Rita."})
    assert _told("conversations.talk.prepared") == {"mentor"}


def test_the_mentor_plans_the_talk_on_its_page_and_a_teacher_is_refused(as_user, cast):
    url = reverse("conversations:talk_plan", args=[cast.pupil.pk])
    form = {
        "day": today().isoformat(),
        "time": "15:00",
        "duration_minutes": "30",
        "place": "Sal 12",
        "participants": [str(cast.pupil.pk), str(cast.guardian.person.pk)],
        "other_participants": "",
    }
    assert as_user("teacher").post(url, form).status_code == 404
    assert not DevelopmentTalk.objects.exists()
    answer = as_user("mentor").post(url, form)
    assert answer["Location"] == reverse("conversations:pupil_talks", args=[cast.pupil.pk])
    assert DevelopmentTalk.objects.get().place == "Sal 12"
